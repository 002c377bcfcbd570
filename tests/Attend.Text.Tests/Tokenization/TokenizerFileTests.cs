// tokenizer.json: save → load gives the same encodings for every type; malformed documents (random byte damage,
// wrong fields) raise DataFormatException naming the problem, never anything else.
using Attend.Text.Corpora;
using Attend.Text.Tokenization;

namespace Attend.Text.Tests.Tokenization;

public class TokenizerFileTests
{
    private static readonly string[] Corpus = Enumerable.Range(0, 80).Select(i => $"Ein Hund läuft {i} Mal über die Wiese, and a dog runs #{i % 9}!").ToArray();

    public static TheoryData<string> Types => new() { "bpe", "bytebpe", "word", "char" };

    private static ITokenizer Train(string type) => type switch
    {
        "bpe" => BpeTokenizer.Train(Corpus, 120),
        "bytebpe" => ByteBpeTokenizer.Train(Corpus, 300),
        "word" => WordTokenizer.Train(Corpus, 40),
        _ => CharTokenizer.Train(Corpus),
    };

    [Theory]
    [MemberData(nameof(Types))]
    public void SaveThenLoadEncodesIdentically(string type)
    {
        var tok = Train(type);
        string path = Path.Combine(TestFiles.TempDir(), "tokenizer.json");
        TokenizerFile.Save(tok, path);
        var loaded = TokenizerFile.Load(path);
        Assert.Equal(type, loaded.Type);
        Assert.Equal(tok.Vocabulary.Tokens, loaded.Vocabulary.Tokens);
        foreach (var s in Corpus.Take(10).Append("ünseen wörds ?? 42"))
        {
            Assert.Equal(tok.Encode(s), loaded.Encode(s));
            Assert.Equal(tok.Decode(tok.Encode(s)), loaded.Decode(loaded.Encode(s)));
        }
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, "*.tmp-*"));
    }

    [Theory]
    [InlineData("{\"format\": \"attend-tokenizer\", \"version\": 2}", "field 'version'")]
    [InlineData("{\"format\": \"other\"}", "field 'format'")]
    [InlineData("[1, 2]", "expected a JSON object")]
    [InlineData("{\"format\": \"attend-tokenizer\", \"version\": 1, \"special_tokens\": [\"<pad>\", \"<unk>\", \"<bos>\", \"<eos>\"], \"type\": \"bpe\", \"alphabet\": [\"a\"], \"merges\": [[\"a\", \"b\"]]}", "merge 1")]
    [InlineData("{\"format\": \"attend-tokenizer\", \"version\": 1, \"special_tokens\": [\"<pad>\", \"<unk>\", \"<bos>\", \"<eos>\"], \"type\": \"word\", \"standardize\": \"loud\", \"vocab\": []}", "field 'standardize'")]
    [InlineData("{\"format\": \"attend-tokenizer\", \"version\": 1, \"special_tokens\": [\"<pad>\", \"<unk>\", \"<bos>\", \"<eos>\"], \"type\": \"char\", \"vocab\": [\"a\", \"a\"]}", "occurs twice")]
    [InlineData("{\"format\": ", "invalid JSON")]
    public void MalformedDocumentsNameTheProblem(string json, string expected)
    {
        var ex = Assert.Throws<DataFormatException>(() => TokenizerFile.Parse(json, "tok.json"));
        Assert.Contains(expected, ex.Message);
        Assert.StartsWith("tok.json", ex.Message);
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void RandomlyDamagedFilesGiveOnlyFormatErrors(string type)
    {
        string json = TokenizerFile.ToJson(Train(type));
        var rng = new Random(type.Length);
        for (int trial = 0; trial < 200; trial++)
        {
            var chars = json.ToCharArray();
            int edits = rng.Next(1, 4);
            for (int e = 0; e < edits; e++) chars[rng.Next(chars.Length)] = "{}[]\",:0a\\ x"[rng.Next(12)];
            string damaged = rng.Next(4) == 0 ? new string(chars, 0, rng.Next(chars.Length)) : new string(chars);
            try
            {
                var tok = TokenizerFile.Parse(damaged, "t.json");
                tok.Decode(tok.Encode("a dog runs über die Wiese"));
            }
            catch (DataFormatException)
            {
            }
        }
    }
}
