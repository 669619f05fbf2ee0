using System.Text;

namespace Acre.Tasks.Dockerfiles;

/// <summary>Variable substitution and word splitting as the Dockerfile reference describes them.</summary>
public static class Words
{
    /// <summary>
    /// Replaces <c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-default}</c> and <c>${NAME:+alternative}</c>;
    /// <c>\$</c> stays a literal dollar. Unknown names become empty, as in Docker.
    /// </summary>
    public static string Expand(string text, IReadOnlyDictionary<string, string> variables)
    {
        var result = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
                continue;
            }

            if (c != '$' || i + 1 >= text.Length)
            {
                result.Append(c);
                continue;
            }

            if (text[i + 1] == '{')
            {
                int close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    throw new DockerfileException($"missing '}}' in '{text}'");
                }

                result.Append(Braced(text[(i + 2)..close], variables));
                i = close;
                continue;
            }

            int end = i + 1;
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }

            if (end == i + 1)
            {
                result.Append(c);
                continue;
            }

            result.Append(variables.GetValueOrDefault(text[(i + 1)..end], ""));
            i = end - 1;
        }

        return result.ToString();
    }

    /// <summary>Splits on unquoted white space; quotes group words and are removed, backslash escapes.</summary>
    public static List<string> Split(string text)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool inWord = false;
        char quote = '\0';
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (quote != '\0')
            {
                if (c == quote)
                {
                    quote = '\0';
                }
                else if (c == '\\' && quote == '"' && i + 1 < text.Length)
                {
                    word.Append(text[++i]);
                }
                else
                {
                    word.Append(c);
                }

                continue;
            }

            if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }

                continue;
            }

            inWord = true;
            if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c == '\\' && i + 1 < text.Length)
            {
                word.Append(text[++i]);
            }
            else
            {
                word.Append(c);
            }
        }

        if (quote != '\0')
        {
            throw new DockerfileException($"unmatched quote in '{text}'");
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    /// <summary><c>key=value</c> pairs (ENV, LABEL, ARG), or the legacy <c>ENV key value</c> form.</summary>
    public static List<KeyValuePair<string, string>> Pairs(string text, bool legacyForm)
    {
        var words = Split(text);
        if (legacyForm && words.Count > 0 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            int space = text.TrimStart().IndexOfAny([' ', '\t']);
            string value = space < 0 ? "" : string.Join(' ', Split(text.TrimStart()[space..]));
            return [new(words[0], value)];
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (string word in words)
        {
            int equals = word.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new DockerfileException($"'{word}' is not of the form key=value");
            }

            pairs.Add(new(word[..equals], word[(equals + 1)..]));
        }

        return pairs;
    }

    /// <summary>ARG's <c>name[=default]</c> words; a name without a default has a null one.</summary>
    public static List<(string Name, string? Default)> Arguments(string text) =>
        [.. Split(text).Select(word => word.IndexOf('=', StringComparison.Ordinal) is var equals and > 0
            ? (word[..equals], (string?)word[(equals + 1)..])
            : (word, null))];

    private static string Braced(string expression, IReadOnlyDictionary<string, string> variables)
    {
        int modifier = expression.IndexOf(':', StringComparison.Ordinal);
        if (modifier < 0)
        {
            return variables.GetValueOrDefault(expression, "");
        }

        string name = expression[..modifier];
        string operand = expression[(modifier + 2)..];
        bool isSet = variables.TryGetValue(name, out string? value) && value.Length > 0;
        return expression.Length > modifier + 1 && expression[modifier + 1] == '+'
            ? (isSet ? operand : "")
            : (isSet ? value! : operand);
    }
}
