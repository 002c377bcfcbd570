// A fine-tuned BERT classifier cuts its texts as its training config said (HTML breaks removed, head + tail kept) and
// remembers it: a saved and reloaded classifier encodes every text to the same ids. Without a cut it truncates at the
// head as Hugging Face's tokenizer does.
using Attend.Models;
using Attend.Tasks.Classification;
using Attend.Text;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tests.Models;

public sealed class BertTextCutTests
{
    private static readonly string[] Vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e", "f", "g", "h", "<", ">", "/", "br"];
    private static readonly BertConfig Tiny = new() { VocabSize = Vocab.Length, HiddenSize = 8, NumLayers = 1, NumHeads = 2, IntermediateSize = 16, MaxPositions = 16 };

    private static BertTextClassifier Classifier(int maxLength, TextCut? cut)
    {
        var model = BertClassifier.FromEncoder(new BertModel(Tiny, new Rng(1)), ["neg", "pos"], new Rng(2));
        return new BertTextClassifier(model, new WordPieceTokenizer(Vocab, new BertPreTokenizer(true)), maxLength, cut);
    }

    private static string[] Pieces(BertTextClassifier c, string text) => [.. c.Encode(text).Ids.Select(i => Vocab[i])];

    [Fact]
    public void HeadAndTailKeepAQuarterFromTheStartAndTheRestFromTheEnd()
    {
        var c = Classifier(10, new TextCut { MaxTokens = 999, Truncate = "head_tail", StripHtml = true });
        Assert.Equal(8, c.Cut!.MaxTokens);
        Assert.Equal(["[CLS]", "a", "b", "c", "d", "e", "f", "g", "h", "[SEP]"], Pieces(c, "a b <br /> c d e f g h"));
        Assert.Equal(["[CLS]", "a", "b", "e", "f", "g", "h", "a", "b", "[SEP]"], Pieces(c, "a b c d e f g h a b"));
        Assert.Equal(["[CLS]", "[SEP]"], Pieces(c, ""));
    }

    [Fact]
    public void WithoutACutTextsAreCutAtTheHeadAsHuggingFaceDoes()
    {
        var c = Classifier(6, null);
        Assert.Equal(["[CLS]", "a", "<", "br", "/", "[SEP]"], Pieces(c, "a <br/> b c"));
    }

    [Fact]
    public void TheCutIsSavedWithTheModel()
    {
        string dir = Path.Combine(Path.GetTempPath(), "attend-bert-cut-" + Guid.NewGuid().ToString("N"));
        try
        {
            var c = Classifier(10, new TextCut { Truncate = "tail", StripHtml = true });
            c.Save(dir);
            var loaded = BertTextClassifier.Load(dir);
            Assert.Equal(c.Cut, loaded.Cut);
            foreach (var text in new[] { "a b c d e f g h a b c d", "a<br>b", "h g f e d c b a h g f e d c b a" })
                Assert.Equal(Pieces(c, text), Pieces(loaded, text));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
