using System.Collections.Concurrent;
using System.Collections.Frozen;
using Hyperion;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// The allow-list Hyperion checks before it writes or instantiates a type: AkkaStream's own types
/// (namespace <c>AkkaStream.</c> in an <c>AkkaStream.*</c> assembly, plus the compiler-generated
/// helpers of those assemblies, such as the read-only list behind a collection expression), and the
/// primitives and collections of the base library that our messages hold. A generic type is allowed
/// only when it and every type argument are.
///
/// Why our own filter: Hyperion 0.12's built-in one compares the name it is given (assembly-qualified
/// with version, culture and key token when serializing) to short names, so it refuses every type.
/// This one reads any form of the name, and never loads a type to judge it.
/// Thread-safe; allowed names are cached (denied ones are not, so that junk names cannot grow it).
/// </summary>
public sealed class AkkaStreamTypeFilter : ITypeFilter
{
    public static readonly AkkaStreamTypeFilter Instance = new();

    private const string OwnPrefix = "AkkaStream.";

    private static readonly FrozenSet<string> CoreAssemblies = FrozenSet.ToFrozenSet(
    [
        "%core%", "System.Private.CoreLib", "mscorlib", "netstandard", "System.Runtime",
        "System.Collections", "System.Collections.Immutable", "System.ObjectModel",
    ]);

    private static readonly FrozenSet<string> BaseLibraryTypes = FrozenSet.ToFrozenSet(
    [
        "System.Object", "System.String", "System.Boolean", "System.Char",
        "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
        "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
        "System.Guid", "System.DateTime", "System.DateTimeOffset", "System.TimeSpan", "System.Nullable`1",
        "System.Collections.DictionaryEntry",
        "System.Collections.Generic.List`1",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.KeyValuePair`2",
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.ObjectModel.ReadOnlyCollection`1",
        "System.Collections.ObjectModel.ReadOnlyDictionary`2",
        "System.Collections.Immutable.ImmutableArray`1",
        "System.Collections.Immutable.ImmutableList`1",
        "System.Collections.Immutable.ImmutableDictionary`2",
        "System.Collections.Immutable.ImmutableHashSet`1",
        "System.Collections.Immutable.ImmutableSortedDictionary`2",
    ]);

    private readonly ConcurrentDictionary<string, bool> _allowed = new(StringComparer.Ordinal);

    public bool IsAllowed(string typeName)
    {
        if (_allowed.ContainsKey(typeName))
        {
            return true;
        }
        var named = new List<TypeNameParser.NamedType>(4);
        if (!TypeNameParser.TryParse(typeName, named))
        {
            return false;
        }
        foreach (var type in named)
        {
            if (!IsAllowed(type))
            {
                return false;
            }
        }
        _allowed.TryAdd(typeName, true);
        return true;
    }

    /// <summary>The filter's verdict on a type already loaded (used before serializing a message).</summary>
    public bool IsAllowed(Type type) => type.AssemblyQualifiedName is { } name && IsAllowed(name);

    private static bool IsAllowed(TypeNameParser.NamedType type)
    {
        var assembly = type.Assembly;
        if (assembly is not null && assembly.StartsWith(OwnPrefix, StringComparison.Ordinal))
        {
            // Compiler-generated types (e.g. "<>z__ReadOnlyArray`1") sit in the global namespace.
            return type.FullName.StartsWith(OwnPrefix, StringComparison.Ordinal) || type.FullName.StartsWith('<');
        }
        return (assembly is null || CoreAssemblies.Contains(assembly)) && BaseLibraryTypes.Contains(type.FullName);
    }
}
