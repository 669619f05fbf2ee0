using System.Globalization;
using System.Text;

namespace Acre.Bench;

/// <summary>One line of the results table; the reference names its side, e.g. "Distribution" or "nginx".</summary>
public sealed record ResultRow(
    string Measurement, string Acre, string Reference, string Ratio, string Target, string Verdict);

/// <summary>Collects rows and notes as the scenarios finish, and renders them as Markdown.</summary>
public sealed class Report
{
    private readonly List<ResultRow> _rows = [];
    private readonly List<string> _notes = [];
    private readonly object _gate = new();

    public static string Number(double value, int decimals = 0) =>
        value.ToString("N" + decimals, CultureInfo.InvariantCulture);

    public static string Mib(long bytes) => Number(bytes / Measure.MiB, 1) + " MiB";

    /// <summary>A size given in MiB, said in GiB when it is a whole number of them.</summary>
    public static string Size(int mib) => mib % 1024 == 0 ? $"{mib / 1024} GiB" : $"{mib} MiB";

    /// <summary>
    /// A row comparing Acre with a reference where more is better, from samples taken in the same rounds: the
    /// medians of each side, and the median of the per-round ratios, which cancels drift between rounds.
    /// </summary>
    public void Compare(string measurement, IReadOnlyList<double> acre, IReadOnlyList<double> reference,
        string referenceName, double? target, string unit)
    {
        double[] ratios = acre.Zip(reference, (a, r) => a / r).ToArray();
        Compare(measurement, Measure.Median(acre), Measure.Median(reference), referenceName, target, unit,
            Measure.Median(ratios));
    }

    /// <summary>A row comparing Acre with a reference where more is better (throughput, speed-up).</summary>
    public void Compare(string measurement, double acre, double reference, string referenceName, double? target,
        string unit, double? pairedRatio = null)
    {
        double ratio = pairedRatio ?? acre / reference;
        string verdict = target is { } t ? (ratio >= t ? "met" : "missed") : "";
        Add(new ResultRow(measurement, $"{Number(acre, 1)} {unit}", $"{Number(reference, 1)} {unit} ({referenceName})",
            $"{Number(ratio, 2)}×", target is { } goal ? $"≥ {Number(goal, 2)}×" : "", verdict));
    }

    /// <summary>A row with Acre's figure alone against an upper bound.</summary>
    public void AtMost(string measurement, double value, double limit, string unit, string? reference = null)
    {
        Add(new ResultRow(measurement, $"{Number(value, 1)} {unit}", reference ?? "", "",
            $"≤ {Number(limit)} {unit}", value <= limit ? "met" : "missed"));
    }

    public void Add(ResultRow row)
    {
        lock (_gate)
        {
            _rows.Add(row);
        }
    }

    public void Note(string note)
    {
        lock (_gate)
        {
            _notes.Add(note);
        }

        Console.Error.WriteLine($"  {note}");
    }

    public string ToMarkdown(string heading)
    {
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"## {heading}").AppendLine();
        text.AppendLine("| measurement | Acre | reference | ratio | target | verdict |");
        text.AppendLine("|---|---:|---:|---:|---|---|");
        foreach (var row in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Measurement} | {row.Acre} | {row.Reference} | {row.Ratio} | {row.Target} | {row.Verdict} |");
        }

        text.AppendLine().AppendLine("Raw figures:").AppendLine();
        foreach (string note in _notes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- {note}");
        }

        return text.ToString();
    }
}
