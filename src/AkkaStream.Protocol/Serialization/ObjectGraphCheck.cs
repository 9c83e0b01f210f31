using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.Serialization;

namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Walks the object graph of a message before it is written and refuses it when any value's runtime
/// type is outside <see cref="AkkaStreamTypeFilter"/>. Needed because Hyperion consults its type
/// filter only when reading: without this walk, a control message carrying a foreign object would
/// be sent and only refused by the receiver. Collections of the base library are walked through
/// their elements (never their private fields, whose helper types are no business of the list);
/// AkkaStream's types through their fields. Control messages are small, so reflection is fine here.
/// Thread-safe; field lists are cached per type.
/// </summary>
internal static class ObjectGraphCheck
{
    private static readonly ConcurrentDictionary<Type, FieldInfo[]> Fields = new();

    /// <exception cref="SerializationException">A value of a type outside the allow-list.</exception>
    public static void EnsureAllowed(object message)
    {
        var visited = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<object>();
        pending.Push(message);
        while (pending.Count > 0)
        {
            var value = pending.Pop();
            var type = value.GetType();
            if (type.IsPrimitive || value is string)
            {
                continue;
            }
            if (!AkkaStreamTypeFilter.Instance.IsAllowed(type))
            {
                throw new SerializationException(
                    $"{message.GetType().FullName} holds a {type.FullName}, which is not an AkkaStream type nor an allowed base-library type: refused by the AkkaStream Hyperion allow-list.");
            }
            if (type.IsEnum || (type.IsValueType && type.Namespace == "System") || !visited.Add(value))
            {
                continue;
            }
            switch (value)
            {
                case IDictionary dictionary:
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        pending.Push(entry.Key);
                        PushIfSet(pending, entry.Value);
                    }
                    break;
                case IEnumerable sequence when IsBaseLibrary(type):
                    foreach (var element in sequence)
                    {
                        PushIfSet(pending, element);
                    }
                    break;
                default:
                    foreach (var field in Fields.GetOrAdd(type, InstanceFields))
                    {
                        PushIfSet(pending, field.GetValue(value));
                    }
                    break;
            }
        }
    }

    private static bool IsBaseLibrary(Type type) => type.IsArray || type.Namespace?.StartsWith("System", StringComparison.Ordinal) == true;

    private static void PushIfSet(Stack<object> pending, object? value)
    {
        if (value is not null)
        {
            pending.Push(value);
        }
    }

    private static FieldInfo[] InstanceFields(Type type)
    {
        var fields = new List<FieldInfo>();
        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            fields.AddRange(t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly));
        }
        return [.. fields];
    }
}
