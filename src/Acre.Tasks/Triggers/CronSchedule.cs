namespace Acre.Tasks.Triggers;

/// <summary>
/// A five-field cron schedule (minute, hour, day of month, month, day of week), as ACR's timer triggers take
/// it: numbers, <c>*</c>, ranges <c>a-b</c>, steps <c>/n</c> and lists <c>a,b</c>; times are UTC.
/// </summary>
public sealed class CronSchedule
{
    private static readonly (int Min, int Max)[] Ranges = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)];

    private readonly bool[][] _fields;
    private readonly bool _dayOfMonthAny;
    private readonly bool _dayOfWeekAny;

    private CronSchedule(bool[][] fields, bool dayOfMonthAny, bool dayOfWeekAny)
    {
        _fields = fields;
        _dayOfMonthAny = dayOfMonthAny;
        _dayOfWeekAny = dayOfWeekAny;
    }

    /// <summary>The schedule, or null when <paramref name="text"/> is not one.</summary>
    public static CronSchedule? TryParse(string? text)
    {
        string[] parts = (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 5)
        {
            return null;
        }

        var fields = new bool[5][];
        for (int i = 0; i < 5; i++)
        {
            fields[i] = Field(parts[i], Ranges[i].Min, Ranges[i].Max)!;
            if (fields[i] is null)
            {
                return null;
            }
        }

        fields[4][0] |= fields[4][7];
        return new CronSchedule(fields, parts[2] == "*", parts[4] == "*");
    }

    /// <summary>Whether the schedule fires in the minute of <paramref name="time"/> (UTC).</summary>
    public bool Matches(DateTimeOffset time)
    {
        var utc = time.UtcDateTime;
        bool dayOfMonth = _fields[2][utc.Day];
        bool dayOfWeek = _fields[4][(int)utc.DayOfWeek];
        bool day = _dayOfMonthAny || _dayOfWeekAny ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
        return _fields[0][utc.Minute] && _fields[1][utc.Hour] && _fields[3][utc.Month] && day;
    }

    private static bool[]? Field(string text, int min, int max)
    {
        var allowed = new bool[max + 1];
        foreach (string item in text.Split(','))
        {
            string[] stepParts = item.Split('/');
            int step = 1;
            if (stepParts.Length > 2 || (stepParts.Length == 2 && (!int.TryParse(stepParts[1], out step) || step < 1)))
            {
                return null;
            }

            int from = min;
            int to = max;
            if (stepParts[0] != "*")
            {
                string[] bounds = stepParts[0].Split('-');
                if (bounds.Length > 2 || !int.TryParse(bounds[0], out from) ||
                    !int.TryParse(bounds[^1], out to) || from < min || to > max || from > to)
                {
                    return null;
                }

                if (bounds.Length == 1 && stepParts.Length == 2)
                {
                    to = max;
                }
            }

            for (int value = from; value <= to; value += step)
            {
                allowed[value] = true;
            }
        }

        return allowed;
    }
}
