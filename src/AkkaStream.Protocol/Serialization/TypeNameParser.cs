namespace AkkaStream.Protocol.Serialization;

/// <summary>
/// Splits an assembly-qualified .NET type name into every type it names — the type itself, each
/// generic argument at any depth, and the element type of arrays — each with its assembly's simple
/// name. Accepts both the runtime's full form (<c>, Version=…, Culture=…, PublicKeyToken=…</c>) and
/// Hyperion's short form (<c>,%core%</c> for the core library). Never loads a type or an assembly:
/// a name arriving from the network is judged before anything is resolved.
/// Stateless, so thread-safe.
/// </summary>
internal static class TypeNameParser
{
    /// <summary>One type named in a type name: its full name without generic arguments or array ranks.</summary>
    public readonly record struct NamedType(string FullName, string? Assembly);

    /// <summary>
    /// False when the name is not of the grammar this parser knows (escaped characters, pointers,
    /// by-refs, unbalanced brackets): such a name is never allowed.
    /// </summary>
    public static bool TryParse(string typeName, List<NamedType> into)
    {
        if (typeName.Contains('\\') || typeName.Contains('*') || typeName.Contains('&'))
        {
            return false;
        }
        var position = 0;
        return TryParseQualified(typeName, ref position, nested: false, into) && position == typeName.Length;
    }

    private static bool TryParseQualified(string s, ref int i, bool nested, List<NamedType> into)
    {
        var nameStart = i;
        while (i < s.Length && s[i] is not ('[' or ',' or ']'))
        {
            i++;
        }
        var name = s[nameStart..i].Trim();
        if (name.Length == 0)
        {
            return false;
        }
        var index = into.Count;
        into.Add(new NamedType(name, null));

        // Generic arguments: "[[Arg, Asm],[Arg, Asm]]".
        if (i + 1 < s.Length && s[i] == '[' && s[i + 1] == '[')
        {
            i++;
            while (true)
            {
                if (i >= s.Length || s[i] != '[')
                {
                    return false;
                }
                i++;
                if (!TryParseQualified(s, ref i, nested: true, into) || i >= s.Length || s[i] != ']')
                {
                    return false;
                }
                i++;
                if (i < s.Length && s[i] == ',')
                {
                    i++;
                    continue;
                }
                if (i < s.Length && s[i] == ']')
                {
                    i++;
                    break;
                }
                return false;
            }
        }

        // Array ranks: "[]", "[,]".
        while (i < s.Length && s[i] == '[')
        {
            i++;
            while (i < s.Length && s[i] == ',')
            {
                i++;
            }
            if (i >= s.Length || s[i] != ']')
            {
                return false;
            }
            i++;
        }

        // The assembly: to the end of the name at the top level, to the closing bracket inside one.
        if (i < s.Length && s[i] == ',')
        {
            i++;
            var assemblyStart = i;
            while (i < s.Length && s[i] is not ('[' or ']'))
            {
                i++;
            }
            if (!nested && i != s.Length)
            {
                return false;
            }
            var assembly = s[assemblyStart..i];
            var comma = assembly.IndexOf(',');
            var simple = (comma < 0 ? assembly : assembly[..comma]).Trim();
            into[index] = new NamedType(name, simple.Length == 0 ? null : simple);
        }
        return true;
    }
}
