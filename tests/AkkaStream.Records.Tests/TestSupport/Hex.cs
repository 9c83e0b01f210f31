namespace AkkaStream.Records.Tests.TestSupport;

/// <summary>Hex strings written field by field: whitespace is ignored, <c>//</c> starts a comment to the end of the line.</summary>
internal static class Hex
{
    public static byte[] Parse(string annotated)
    {
        var digits = new System.Text.StringBuilder();
        foreach (var line in annotated.Split('\n'))
        {
            var comment = line.IndexOf("//", StringComparison.Ordinal);
            var code = comment >= 0 ? line[..comment] : line;
            foreach (var c in code)
            {
                if (!char.IsWhiteSpace(c))
                {
                    digits.Append(c);
                }
            }
        }
        return Convert.FromHexString(digits.ToString());
    }
}
