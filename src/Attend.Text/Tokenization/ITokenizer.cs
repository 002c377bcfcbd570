// One interface for every tokenizer: text → ids → text, a vocabulary whose first four ids are the special tokens,
// and a versioned tokenizer.json (see TokenizerFile).
namespace Attend.Text.Tokenization;

/// <summary>Turns text into token ids and back.</summary>
public interface ITokenizer
{
    /// <summary>"word", "char", "bpe" or "bytebpe".</summary>
    string Type { get; }

    /// <summary>The vocabulary; ids 0..3 are pad, unk, bos, eos.</summary>
    Vocabulary Vocabulary { get; }

    /// <summary>Token ids of <paramref name="text"/> (no bos/eos added).</summary>
    int[] Encode(string text);

    /// <summary>The text of <paramref name="ids"/>; special tokens are skipped.</summary>
    string Decode(IEnumerable<int> ids);
}

/// <summary>The reserved ids shared by every tokenizer.</summary>
public static class SpecialTokens
{
    public const int Pad = 0, Unk = 1, Bos = 2, Eos = 3;

    /// <summary>Their strings, in id order.</summary>
    public static readonly string[] Names = ["<pad>", "<unk>", "<bos>", "<eos>"];

    /// <summary>True for pad, unk, bos and eos.</summary>
    public static bool IsSpecial(int id) => id is >= 0 and < 4;
}
