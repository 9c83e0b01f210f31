using System.Text;

namespace AkkaStream.Web.Console.Api;

/// <summary>
/// A key, value or header value as the message browser shows it: its whole size, and its first
/// <c>limit</c> bytes both as text (UTF-8, invalid bytes replaced) and as hex, so that the page
/// toggles between them without asking again. The page puts the text in the document as text, never
/// as markup, and the JSON escapes <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c> as well.
/// </summary>
public sealed record BytesView(int Size, string Text, string Hex, bool Truncated)
{
    /// <summary>Null for a null key or value (Kafka distinguishes it from empty).</summary>
    public static BytesView? Of(byte[]? bytes, int limit)
    {
        if (bytes is null) return null;
        var shown = bytes.AsSpan(0, Math.Min(bytes.Length, limit));
        return new BytesView(bytes.Length, Encoding.UTF8.GetString(shown), Convert.ToHexStringLower(shown), shown.Length < bytes.Length);
    }
}
