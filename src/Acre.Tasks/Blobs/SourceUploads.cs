using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;

namespace Acre.Tasks.Blobs;

/// <summary>What an upload call came to: nothing wrong, or Storage's status, code and message.</summary>
public sealed record UploadResult(int Status, string? Code, string? Error)
{
    public static readonly UploadResult Ok = new(201, null, null);

    public static UploadResult Invalid(string message) => new(400, "InvalidHeaderValue", message);

    public static UploadResult TooLarge() =>
        new(413, "RequestBodyTooLarge", $"A build context may be at most {SourceUploads.MaxBytes} bytes.");
}

/// <summary>
/// The build contexts uploaded to the blob host, as files under <c>tasks/source/{registry}/</c>: a whole blob in
/// one PUT, or blocks (kept beside it until the block list names them) for the SDK's chunked uploads.
/// </summary>
public sealed class SourceUploads(TasksOptions options)
{
    public const long MaxBytes = 1024L * 1024 * 1024;
    private const int MaxBlockIdLength = 64;

    public async Task<UploadResult> PutBlobAsync(string path, Stream body, CancellationToken ct)
    {
        string target = Path.Combine(options.Root, path);
        return await WriteAsync(target, body, MaxBytes, ct) ? Ok(target) : UploadResult.TooLarge();
    }

    public async Task<UploadResult> PutBlockAsync(string path, string blockId, Stream body, CancellationToken ct)
    {
        if (blockId.Length is 0 or > MaxBlockIdLength)
        {
            return UploadResult.Invalid("The blockid is missing or too long.");
        }

        string block = Path.Combine(BlocksOf(path), BlockFile(blockId));
        Directory.CreateDirectory(BlocksOf(path));
        return await WriteAsync(block, body, MaxBytes, ct) ? UploadResult.Ok : UploadResult.TooLarge();
    }

    /// <summary>Joins the blocks the list names, in its order, into the blob; then forgets the blocks.</summary>
    public async Task<UploadResult> CommitBlockListAsync(string path, Stream body, CancellationToken ct)
    {
        using var limited = new MemoryStream();
        if (!await CopyLimitedAsync(body, limited, 4 * 1024 * 1024, ct))
        {
            return UploadResult.Invalid("The block list is too large.");
        }

        XDocument list;
        try
        {
            list = XDocument.Parse(Encoding.UTF8.GetString(limited.ToArray()));
        }
        catch (System.Xml.XmlException e)
        {
            return new UploadResult(400, "InvalidXmlDocument", $"The block list is not XML: {e.Message}");
        }

        string blocks = BlocksOf(path);
        var files = list.Root?.Elements().Select(e => Path.Combine(blocks, BlockFile(e.Value.Trim()))).ToList() ?? [];
        var found = files.Select(f => new FileInfo(f)).ToList();
        if (found.Count == 0 || found.Any(f => !f.Exists))
        {
            return new UploadResult(400, "InvalidBlockList", "The block list names a block that was not uploaded.");
        }

        // Lengths as read with Exists: a block deleted since by another commit is found missing when joined.
        if (found.Sum(f => f.Length) > MaxBytes)
        {
            return UploadResult.TooLarge();
        }

        string target = Path.Combine(options.Root, path);
        if (!await WriteAsync(target, output => JoinAsync(files, output, ct)))
        {
            return new UploadResult(400, "InvalidBlockList", "A block of the list was committed meanwhile.");
        }

        DeleteBlocks(blocks);
        return Ok(target);
    }

    /// <summary>Copies the blocks into the output; false when one is gone, taken by a commit at the same
    /// time.</summary>
    private static async Task<bool> JoinAsync(List<string> files, Stream output, CancellationToken ct)
    {
        foreach (string file in files)
        {
            FileStream input;
            try
            {
                input = File.OpenRead(file);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return false;
            }

            await using (input)
            {
                await input.CopyToAsync(output, ct);
            }
        }

        return true;
    }

    private static void DeleteBlocks(string blocks)
    {
        try
        {
            Directory.Delete(blocks, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
            // Another commit of the same list deleted them first.
        }
    }

    private static UploadResult Ok(string target) => File.Exists(target) ? UploadResult.Ok : UploadResult.TooLarge();

    private string BlocksOf(string path) => Path.Combine(options.Root, path + ".blocks");

    /// <summary>A block id is any base64 text; its hash is a safe file name.</summary>
    private static string BlockFile(string blockId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(blockId)));

    /// <summary>Writes the body to a temporary file and moves it into place; false when it was too large.</summary>
    private static Task<bool> WriteAsync(string target, Stream body, long limit, CancellationToken ct) =>
        WriteAsync(target, file => CopyLimitedAsync(body, file, limit, ct));

    /// <summary>
    /// Has <paramref name="write"/> fill a temporary file of its own, moved into place when it answers true and
    /// deleted otherwise, also when it fails (a client gone mid-body): no two writes share one, none is left behind.
    /// </summary>
    private static async Task<bool> WriteAsync(string target, Func<Stream, Task<bool>> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string temporary = target + "." + Guid.NewGuid().ToString("N") + ".partial";
        bool moved = false;
        try
        {
            bool complete;
            await using (var file = File.Create(temporary))
            {
                complete = await write(file);
            }

            if (complete)
            {
                File.Move(temporary, target, overwrite: true);
                moved = true;
            }

            return complete;
        }
        finally
        {
            if (!moved)
            {
                File.Delete(temporary);
            }
        }
    }

    private static async Task<bool> CopyLimitedAsync(Stream source, Stream destination, long limit,
        CancellationToken ct)
    {
        byte[] buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, ct)) > 0)
        {
            total += read;
            if (total > limit)
            {
                return false;
            }

            await destination.WriteAsync(buffer.AsMemory(0, read), ct);
        }

        return true;
    }
}
