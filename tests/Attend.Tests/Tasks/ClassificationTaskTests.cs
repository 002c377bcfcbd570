// Classification on a planted bigram: every text holds the words "not" and "good"; it is positive exactly when "not"
// is immediately followed by "good". Unigrams carry no signal, so the unigram bag stays near chance while the bigram
// bag, the Transformer (through its positions) and the BiLSTM learn the rule within seconds. Also: text cutting and
// the label<TAB>text data path, and an ensemble's averaged probabilities.
using Attend.Text;
using Attend.Nn;
using Attend.Models;
using Attend.Tests.Models;
using Attend.Tasks.Classification;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tests;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tests.Tasks;

public class ClassificationTaskTests
{
    private static readonly string[] Filler = Enumerable.Range(0, 20).Select(i => "w" + i).ToArray();

    /// <summary>n texts with the planted rule, half of each class.</summary>
    internal static List<LabelledText> PlantedBigram(int n, int seed)
    {
        var rng = new Rng((ulong)seed);
        var result = new List<LabelledText>();
        for (int i = 0; i < n; i++)
        {
            int label = i % 2;
            var words = Enumerable.Range(0, 6 + rng.NextInt(8)).Select(_ => Filler[rng.NextInt(Filler.Length)]).ToList();
            int at = rng.NextInt(words.Count + 1);
            if (label == 1)
            {
                words.InsertRange(at, ["not", "good"]);
            }
            else
            {
                words.Insert(at, "good");
                int before; // anywhere but directly before "good"
                do before = rng.NextInt(words.Count + 1); while (before == at);
                words.Insert(before, "not");
            }
            result.Add(new LabelledText(string.Join(' ', words), label));
        }
        return result;
    }

    private static double TrainAndScore(TextClassifierConfig config, int steps, float lr, bool sgd = false)
    {
        var train = PlantedBigram(1500, 1);
        var valid = PlantedBigram(200, 2);
        var tokenizer = WordTokenizer.Train(train.Select(t => t.Text), 100);
        config = config with
        {
            Labels = ["neg", "pos"],
            Encoder = config.Encoder is null ? null : config.Encoder with { VocabSize = tokenizer.Vocabulary.Count },
            Bow = config.Bow is null ? null : config.Bow with { VocabSize = tokenizer.Vocabulary.Count },
        };
        var classifier = new Classifier(new TextClassifier(config, new Rng(4)), tokenizer, new TextCut { MaxTokens = 30 });
        var task = new ClassificationTask(classifier, EncodedTexts.From(classifier, train), EncodedTexts.From(classifier, valid), 512, seed: 3);
        Optimizer optimizer = sgd ? new Sgd(classifier.Model.Parameters(), lr) : new Adam(classifier.Model.Parameters(), lr);
        var trainer = new Trainer(task, optimizer, new ConstantSchedule(lr), new TrainerOptions { MaxSteps = steps, ValidEvery = 50, LogEvery = 50 });
        var result = trainer.Run(TestFiles.TempDir(), resume: false);
        return result.BestScore;
    }

    [Fact]
    public void TheDataHasThePlantedRuleAndNoUnigramSignal()
    {
        var texts = PlantedBigram(400, 7);
        Assert.All(texts, t => Assert.Equal(t.Label == 1, t.Text.Contains("not good", StringComparison.Ordinal)));
        Assert.All(texts, t => Assert.True(t.Text.Split(' ').Contains("not") && t.Text.Split(' ').Contains("good")));
    }

    [Theory]
    [InlineData("learned")]
    [InlineData("sinusoidal")]
    public void ATransformerLearnsThePlantedBigram(string positions)
    {
        var encoder = TextClassifierTests.Encoder("transformer") with { EmbedDim = 32, NumHeads = 4, NumLayers = 2, DimFeedforward = 64, Dropout = 0f, Positions = Names.Of<PositionKind>(positions) };
        double accuracy = TrainAndScore(new TextClassifierConfig { Encoder = encoder, Pooling = Pooling.Max }, 300, 2e-3f);
        Assert.True(accuracy >= 0.95, $"validation accuracy {accuracy}");
    }

    [Fact]
    public void ABiLstmLearnsThePlantedBigram()
    {
        var encoder = TextClassifierTests.Encoder("lstm") with { EmbedDim = 16, HiddenSize = 16, NumLayers = 1, Dropout = 0f };
        double accuracy = TrainAndScore(new TextClassifierConfig { Encoder = encoder, Pooling = Pooling.Max }, 250, 1e-2f);
        Assert.True(accuracy >= 0.95, $"validation accuracy {accuracy}");
    }

    [Fact]
    public void BigramsSeeTheRuleAndUnigramsCannot()
    {
        double bigrams = TrainAndScore(new TextClassifierConfig { Bow = new BagOfNgramsConfig { BigramBuckets = 4096 } }, 200, 0.5f, sgd: true);
        Assert.True(bigrams >= 0.95, $"validation accuracy {bigrams}");
        Assert.InRange(TrainAndScore(new TextClassifierConfig { Bow = new BagOfNgramsConfig { BigramBuckets = 0 } }, 200, 0.5f, sgd: true), 0.3, 0.7);
    }

    [Fact]
    public void TextIsCutAtTheHeadTheTailOrBoth()
    {
        var ids = Enumerable.Range(10, 12).ToArray(); // 10..21
        Assert.Equal([10, 11, 12, 13, 14, 15, 16, 17], new TextCut { MaxTokens = 8, Truncate = "head" }.Cut(ids));
        Assert.Equal([14, 15, 16, 17, 18, 19, 20, 21], new TextCut { MaxTokens = 8, Truncate = "tail" }.Cut(ids));
        Assert.Equal([10, 11, 16, 17, 18, 19, 20, 21], new TextCut { MaxTokens = 8, Truncate = "head_tail" }.Cut(ids));
        Assert.Same(ids, new TextCut { MaxTokens = 0 }.Cut(ids));
        var tokenizer = WordTokenizer.Train(["a b c"], 10);
        Assert.Equal(tokenizer.Encode("a b"), new TextCut().Encode(tokenizer, "a<br />b"));
        Assert.Equal([SpecialTokens.Unk], new TextCut().Encode(tokenizer, "<br /><br />"));
        Assert.Contains("truncate", new TextCut { Truncate = "middle" }.Problem());
    }

    [Fact]
    public void TabSeparatedDataGetsOrdinalLabelsAndAHoldOut()
    {
        string dir = TestFiles.TempDir();
        string train = Path.Combine(dir, "train.tsv"), test = Path.Combine(dir, "test.tsv");
        File.WriteAllLines(train, Enumerable.Range(0, 40).Select(i => (i % 3 == 0 ? "spam" : "ham") + "\ttext number " + i));
        File.WriteAllLines(test, ["ham\tfine", "eggs\tunseen label"]);
        var config = new ClassificationDataConfig { Train = train, ValidFraction = 0.25 };
        var data = ClassificationData.Load(config, seed: 1);
        Assert.Equal(["ham", "spam"], data.Labels);
        Assert.Equal(30, data.Train.Count);
        Assert.Equal(10, data.Valid.Count);
        Assert.Empty(data.Train.Select(t => t.Text).Intersect(data.Valid.Select(t => t.Text)));
        Assert.Equal(data.Valid, ClassificationData.Load(config, seed: 1).Valid);
        Assert.NotEqual(data.Valid, ClassificationData.Load(config, seed: 2).Valid);
        var e = Assert.Throws<DataFormatException>(() => ClassificationData.Load(config with { Test = test }, 1));
        Assert.Contains("test.tsv:2", e.Message);
        Assert.Contains("eggs", e.Message);
    }

    [Fact]
    public void AnEnsembleAveragesItsMembersProbabilities()
    {
        var texts = PlantedBigram(40, 9);
        var tokenizer = WordTokenizer.Train(texts.Select(t => t.Text), 100);
        Classifier Member(ulong seed, int maxTokens, string[]? labels = null) => new(new TextClassifier(new TextClassifierConfig
        {
            Labels = labels ?? ["neg", "pos"],
            Encoder = TextClassifierTests.Encoder("transformer", tokenizer.Vocabulary.Count) with { Dropout = 0f },
            Pooling = Pooling.Mean,
        }, new Rng(seed)), tokenizer, new TextCut { MaxTokens = maxTokens });
        var a = Member(1, 30);
        var b = Member(2, 5); // each member cuts with its own settings
        var strings = texts.Select(t => t.Text).ToArray();
        var pa = a.Classify(strings);
        var pb = b.Classify(strings);
        var ensemble = new ClassifierEnsemble([a, b]);
        var p = ensemble.Classify(strings);
        for (int i = 0; i < texts.Count; i++)
        {
            Assert.Equal((pa[i].Probabilities[1] + pb[i].Probabilities[1]) / 2, p[i].Probabilities[1], 1e-6f);
            Assert.Equal(p[i].Probabilities[1] > p[i].Probabilities[0] ? "pos" : "neg", p[i].Name);
        }
        Assert.NotEqual(pa.Select(x => x.Probabilities[1]), pb.Select(x => x.Probabilities[1]));
        Assert.Equal(pa.Select(x => x.Probabilities[1]), new ClassifierEnsemble([a]).Classify(strings).Select(x => x.Probabilities[1]));
        var (accuracy, _, loss) = ensemble.Score(texts);
        Assert.Equal(texts.Where((t, i) => t.Label == p[i].Label).Count() / (double)texts.Count, accuracy, 1e-12);
        Assert.Equal(-texts.Select((t, i) => Math.Log(p[i].Probabilities[t.Label])).Average(), loss, 1e-5);
        Assert.Contains("labels", Assert.Throws<ArgumentException>(() => new ClassifierEnsemble([a, Member(3, 30, ["pos", "neg"])])).Message);
    }

    [SharedDataFact("imdb/aclImdb_train_test.tar.gz")]
    public void ImdbSplitsIntoTrainingAHoldOutAndTheUntouchedTestSet()
    {
        var data = ClassificationData.Load(new ClassificationDataConfig { Imdb = TestFiles.SharedData("imdb/aclImdb_train_test.tar.gz"), ValidFraction = 0.1 }, seed: 1);
        Assert.Equal(["neg", "pos"], data.Labels);
        Assert.Equal((22500, 2500, 25000), (data.Train.Count, data.Valid.Count, data.Test!.Count));
        Assert.Equal(12500, data.Test.Count(t => t.Label == 1));
        Assert.InRange(data.Valid.Count(t => t.Label == 1), 1150, 1350); // a seeded shuffle, roughly balanced
    }
}
