// Tagging on a rule that needs context and characters: most words have one tag, "run" is a NOUN after "the" and a VERB
// elsewhere, and the validation sentences hold words never seen in training whose tag shows in their spelling
// (capitalised → PROPN, -ing → VERB, digits → NUM). A BiLSTM with character features learns all of it within seconds;
// without character features the unseen words stay out of reach. Also: CoNLL-U loading and its errors.
using Attend.Models;
using Attend.Tasks.Tagging;
using Attend.Tensors;
using Attend.Text.Corpora;
using Attend.Text.Tests;
using Attend.Text.Tokenization;
using Attend.Training;

namespace Attend.Tests.Tasks;

public class TaggingTaskTests
{
    private static readonly string[] Tags = ["DET", "NOUN", "VERB", "PROPN", "NUM"];
    private static readonly (string Word, int Tag)[] Lexicon = [("the", 0), ("a", 0), ("dog", 1), ("cat", 1), ("sees", 2), ("likes", 2), ("Anna", 3), ("Bob", 3), ("7", 4), ("42", 4)];

    private static List<TaggedSentence> Sentences(int n, int seed, bool unseen)
    {
        var rng = new Rng((ulong)seed);
        string Fresh(string alphabet, int len) => new(Enumerable.Range(0, len).Select(_ => alphabet[rng.NextInt(alphabet.Length)]).ToArray());
        var result = new List<TaggedSentence>();
        for (int s = 0; s < n; s++)
        {
            var words = new List<(string, int)>();
            for (int i = 0, len = 4 + rng.NextInt(6); i < len; i++)
            {
                int pick = rng.NextInt(14);
                if (pick < 10) words.Add(Lexicon[pick]);
                else if (pick < 12) words.Add(("run", words.Count > 0 && words[^1].Item1 == "the" ? 1 : 2));
                else if (!unseen) words.Add(Lexicon[rng.NextInt(10)]);
                else words.Add(rng.NextInt(3) switch
                {
                    0 => ("Z" + Fresh("qxzvk", 4), 3),
                    1 => (Fresh("qxzvk", 4) + "ing", 2),
                    _ => (Fresh("0123456789", 3), 4),
                });
            }
            result.Add(new TaggedSentence(words.Select(w => w.Item1).ToArray(), words.Select(w => w.Item2).ToArray()));
        }
        return result;
    }

    private static (double All, double Unseen) TrainAndScore(bool chars)
    {
        var train = Sentences(400, 1, unseen: false);
        var valid = Sentences(100, 2, unseen: true);
        var words = WordTokenizer.Train(train.SelectMany(s => s.Forms), 100, Standardize.Lower);
        // the training set lacks the spelling patterns, so teach them with a few words each (not the validation ones)
        var extra = Sentences(60, 3, unseen: true);
        var charVocab = CharTokenizer.Train(train.Concat(extra).SelectMany(s => s.Forms));
        var encoder = new SequenceEncoderConfig
        {
            Kind = EncoderKind.Lstm, VocabSize = words.Vocabulary.Count, EmbedDim = 16, HiddenSize = 24, Dropout = 0f,
            CharVocabSize = chars ? charVocab.Vocabulary.Count : 0, CharDim = 8, CharHidden = 12,
        };
        var tagger = new SequenceTagger(new Tagger(new TaggerConfig { Labels = Tags, Encoder = encoder, WordDropout = 0.2f }, new Rng(5)), words, chars ? charVocab : null);
        var task = new TaggingTask(tagger, [.. train, .. extra], valid, 400, seed: 2);
        var trainer = new Trainer(task, new Adam(tagger.Model.Parameters(), 1e-2f), new ConstantSchedule(1e-2f), new TrainerOptions { MaxSteps = 200, ValidEvery = 50 });
        trainer.Run(TestFiles.TempDir(), resume: false);
        var forms = valid.Select(s => (IReadOnlyList<string>)s.Forms).ToList();
        var predicted = tagger.Predict(forms);
        var seen = train.SelectMany(s => s.Forms).ToHashSet();
        var pairs = valid.SelectMany((s, i) => s.Tags.Select((t, j) => (Ok: predicted[i][j] == t, Seen: seen.Contains(s.Forms[j])))).ToList();
        return (pairs.Average(p => p.Ok ? 1.0 : 0.0), pairs.Where(p => !p.Seen).Average(p => p.Ok ? 1.0 : 0.0));
    }

    [Fact]
    public void ABiLstmWithCharactersLearnsContextAndSpelling()
    {
        var (all, unseen) = TrainAndScore(chars: true);
        Assert.True(all >= 0.95 && unseen >= 0.9, $"accuracy {all}, on unseen words {unseen}");
    }

    [Fact]
    public void WithoutCharactersUnseenWordsStayOutOfReach()
    {
        var (_, unseen) = TrainAndScore(chars: false);
        Assert.True(unseen <= 0.6, $"accuracy on unseen words {unseen}");
    }

    [Fact]
    public void TheWordVocabularyKeepsLowercasedFormsSeenOftenEnough()
    {
        string[] forms = ["The", "dog", "the", "Dog", "cat", "THE", "ran"];
        var words = TaggingRun.WordVocabulary(forms, new TaggingDataConfig { MinCount = 2 });
        Assert.Equal(["the", "dog"], words.Vocabulary.Tokens.Skip(4));
        var all = TaggingRun.WordVocabulary(forms, new TaggingDataConfig { MinCount = 1, VocabSize = 7 });
        Assert.Equal(["the", "dog", "cat"], all.Vocabulary.Tokens.Skip(4));
        var tagger = new SequenceTagger(new Tagger(new TaggerConfig { Labels = Tags, Encoder = new SequenceEncoderConfig { Kind = EncoderKind.Lstm, VocabSize = 6 } }, new Rng(1)), words, null);
        Assert.Equal(tagger.WordId("DOG"), tagger.WordId("dog"));
        Assert.Equal(SpecialTokens.Unk, tagger.WordId("cat"));
    }

    private const string Conllu = """
        # sent_id = a
        1	The	the	DET	DT	_	2	det	_	_
        2	dog	dog	NOUN	NN	_	0	root	_	_

        # sent_id = b
        1	Run	run	VERB	VB	_	0	root	_	_
        2	!	!	PUNCT	.	_	1	punct	_	_

        """;

    [Fact]
    public void TreebanksLoadWithTheUniversalTagOrderAndNameUnseenTags()
    {
        string dir = TestFiles.TempDir();
        string train = Path.Combine(dir, "train.conllu"), test = Path.Combine(dir, "test.conllu");
        File.WriteAllText(train, Conllu.Replace("\r", ""));
        File.WriteAllText(test, "# sent_id = c\n1\tHi\thi\tINTJ\tUH\t_\t0\troot\t_\t_\n\n");
        var config = new TaggingDataConfig { Train = train, Valid = train };
        var data = TaggedSentences.Load(config, 1);
        Assert.Equal(["DET", "NOUN", "PUNCT", "VERB"], data.Tags);       // the UPOS order, only the tags seen
        Assert.Equal([0, 1], data.Train[0].Tags);
        Assert.Equal(["Run", "!"], data.Train[1].Forms);
        Assert.Equal([".", "DT", "NN", "VB"], TaggedSentences.Load(config with { Column = "xpos" }, 1).Tags); // ordinal order
        var e = Assert.Throws<DataFormatException>(() => TaggedSentences.Load(config with { Test = test }, 1));
        Assert.Contains("test.conllu:1", e.Message);
        Assert.Contains("INTJ", e.Message);
    }

    [SharedDataFact("ud-english-ewt/en_ewt-ud-train.conllu", "ud-english-ewt/en_ewt-ud-dev.conllu")]
    public void EnglishEwtLoadsWithItsSeventeenTags()
    {
        var config = new TaggingDataConfig
        {
            Train = TestFiles.SharedData("ud-english-ewt/en_ewt-ud-train.conllu"),
            Test = TestFiles.SharedData("ud-english-ewt/en_ewt-ud-dev.conllu"),
        };
        var data = TaggedSentences.Load(config, 1);
        Assert.Equal(ConlluReader.UposTags, data.Tags);
        Assert.Equal(12544, data.Train.Count + data.Valid.Count);
        Assert.Equal(627, data.Valid.Count);
        Assert.Equal(25147, data.Test!.Sum(s => s.Forms.Length));
    }

    private static SequenceTagger SmallTagger(string kind, int maxLength = 32)
    {
        var train = Sentences(50, 1, unseen: false);
        var words = WordTokenizer.Train(train.SelectMany(s => s.Forms), 100, Standardize.Lower);
        var encoder = new SequenceEncoderConfig { Kind = Names.Of<EncoderKind>(kind), VocabSize = words.Vocabulary.Count, EmbedDim = 8, NumHeads = 2, HiddenSize = 6, Dropout = 0f, MaxLength = maxLength };
        return new SequenceTagger(new Tagger(new TaggerConfig { Labels = Tags, Encoder = encoder }, new Rng(2)), words, null);
    }

    [Fact]
    public void ScoringAgreesWithPredictionAndTheTrainingLoss()
    {
        var tagger = SmallTagger("lstm");
        var sentences = Sentences(6, 4, unseen: false);
        sentences[0] = sentences[0] with { Tags = [-1, .. sentences[0].Tags[1..]] }; // a gold tag the model does not know
        var predicted = tagger.Predict(sentences.Select(s => (IReadOnlyList<string>)s.Forms).ToList());
        var score = tagger.Score(sentences, seen: new HashSet<string>(["the", "dog"]));
        var pairs = sentences.SelectMany((s, i) => s.Tags.Select((t, j) => (Ok: t >= 0 && predicted[i][j] == t, Seen: s.Forms[j] is "the" or "dog"))).ToList();
        Assert.Equal(pairs.Count, score.Words);
        Assert.Equal(pairs.Average(p => p.Ok ? 1.0 : 0.0), score.Accuracy, 10);
        Assert.Equal(pairs.Count(p => !p.Seen), score.UnseenWords);
        Assert.Equal(pairs.Where(p => !p.Seen).Average(p => p.Ok ? 1.0 : 0.0), score.UnseenAccuracy, 10);
        Assert.Equal((0, 1), score.PerTag[-1]);
        // the loss is the mean cross-entropy over the words with a known gold tag, as the training loss computes it
        var known = sentences.Skip(1).ToList();
        var task = new TaggingTask(tagger, known, known, 10000, seed: 1);
        tagger.Model.Eval();
        var (loss, _) = task.Loss(task.Batches(0)[0]);
        Assert.Equal(loss.Data[0], tagger.Score(known).Loss, 4);
    }

    [Fact]
    public void ATransformerTaggerReadsSentencesLongerThanItsPositionsInPieces()
    {
        var tagger = SmallTagger("transformer", maxLength: 4);
        string[] sentence = ["the", "dog", "sees", "a", "cat", "the", "cat", "likes", "Bob"];
        var whole = tagger.Predict([sentence])[0];
        var pieces = new[] { sentence[..4], sentence[4..8], sentence[8..] }.SelectMany(p => tagger.Predict([p])[0]).ToArray();
        Assert.Equal(pieces, whole);
        var score = tagger.Score([new TaggedSentence(sentence, whole)]);
        Assert.Equal((1.0, 9), (score.Accuracy, score.Words));
    }
}

public class TaggedSentencesScoringTests
{
    [Fact]
    public void AFileWithNothingToScoreIsAnError()
    {
        string path = Path.Combine(Path.GetTempPath(), $"attend-empty-{Guid.NewGuid():N}.conllu");
        File.WriteAllText(path, "# only a comment\n\n");
        var e = Assert.Throws<DataFormatException>(() => TaggedSentences.ReadForScoring(path, "upos", ["DET", "NOUN"]));
        Assert.Contains("no sentence with UPOS tags to score", e.Message);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void AnUntaggedWordInATaggedSentenceIsNamedWhenScoring()
    {
        string path = Path.Combine(Path.GetTempPath(), $"attend-gap-{Guid.NewGuid():N}.conllu");
        File.WriteAllText(path, "1\tthe\tthe\tDET\t_\t_\t0\tdep\t_\t_\n2\tdog\tdog\t_\t_\t_\t0\tdep\t_\t_\n\n");
        var e = Assert.Throws<DataFormatException>(() => TaggedSentences.ReadForScoring(path, "upos", ["DET", "NOUN"]));
        Assert.Contains("word 2 'dog': no UPOS tag", e.Message);
    }
}
