// TrainerSetup: the one place a run config's optim and train sections become an optimiser, a schedule and trainer
// options. Each rule is checked on a toy task whose epoch has a known number of batches.
using Attend.Autograd;
using Attend.Nn;
using Attend.Tensors;
using Attend.Text.Batching;
using Attend.Text.Corpora;
using Attend.Training;

namespace Attend.Tests.Training;

public sealed class TrainerSetupTests
{
    private sealed class ToyTask(int batchesPerEpoch) : ITrainingTask
    {
        public int EpochsCounted { get; private set; }
        public Module Model { get; } = new Linear(3, 2, new Rng(1));

        public IReadOnlyList<Batch> Batches(int epoch)
        {
            EpochsCounted++;
            return Enumerable.Range(0, batchesPerEpoch).Select(i => new Batch([i], 1, 1)).ToArray();
        }

        public (Tensor Loss, int Tokens) Loss(Batch batch) => (Ops.SumAll(((Linear)Model).Forward(Tensor.Ones(1, 3))), 1);
        public Validation Validate() => new(0, new Dictionary<string, double>(), 0);
        public void Export(string directory) { }
    }

    [Fact]
    public void TheCosineDecaysOverDecayStepsElseMaxStepsElseTheEpochsOfBatches()
    {
        var o = new OptimConfig { Lr = 1f, MinLr = 0.1f, Schedule = ScheduleKind.Cosine, Warmup = 2 };
        Assert.Equal(new CosineSchedule(1f, 2, 50, 0.1f), TrainerSetup.Create(new ToyTask(7), o with { DecaySteps = 50 }, new TrainConfig { MaxSteps = 90, ValidEvery = 5 }, 1).Schedule);
        Assert.Equal(new CosineSchedule(1f, 2, 90, 0.1f), TrainerSetup.Create(new ToyTask(7), o, new TrainConfig { MaxSteps = 90, MaxEpochs = 3, ValidEvery = 5 }, 1).Schedule);
        Assert.Equal(new CosineSchedule(1f, 2, 21, 0.1f), TrainerSetup.Create(new ToyTask(7), o, new TrainConfig { MaxEpochs = 3, ValidEvery = 5 }, 1).Schedule);
        // with accumulation an epoch is fewer updates: 7 batches in updates of 2 are 4 updates (the last takes the next epoch's first batch)
        Assert.Equal(new CosineSchedule(1f, 2, 12, 0.1f), TrainerSetup.Create(new ToyTask(7), o with { Accumulation = 2 }, new TrainConfig { MaxEpochs = 3, ValidEvery = 5 }, 1).Schedule);
        var e = Assert.Throws<DataFormatException>(() => TrainerSetup.Create(new ToyTask(7), o, new TrainConfig { MaxMinutes = 1, ValidEvery = 5 }, 1));
        Assert.Contains("optim.decay_steps", e.Message);
    }

    [Fact]
    public void EachScheduleKindMakesItsSchedule()
    {
        var t = new TrainConfig { MaxSteps = 10, ValidEvery = 5 };
        LearningRateSchedule Of(ScheduleKind kind, int width = 0) =>
            TrainerSetup.Create(new ToyTask(4), new OptimConfig { Lr = 0.5f, Warmup = 0, Schedule = kind, Gamma = 0.5f, DecayStart = 1 }, t, 1, modelWidth: width).Schedule;
        Assert.Equal(new InverseSqrtSchedule(0.5f, 1), Of(ScheduleKind.InverseSqrt));
        Assert.Equal(new NoamSchedule(64, 1, 0.5f), Of(ScheduleKind.Noam, 64));
        Assert.Equal(new ConstantSchedule(0.5f), Of(ScheduleKind.Constant));
        Assert.Equal(new EpochDecaySchedule(0.5f, 4, 1, 0.5f), Of(ScheduleKind.EpochDecay));
        Assert.Contains("noam", Assert.Throws<DataFormatException>(() => Of(ScheduleKind.Noam)).Message);
    }

    [Fact]
    public void TheOptimizerKindDecidesTheOptimizerAndHowWeightDecayApplies()
    {
        var t = new TrainConfig { MaxSteps = 1, ValidEvery = 1 };
        Assert.IsType<Sgd>(TrainerSetup.Create(new ToyTask(1), new OptimConfig { Optimizer = OptimizerKind.Sgd, Schedule = ScheduleKind.Constant }, t, 1).Optimizer);
        // one update from the same start: coupled and decoupled decay move a weight differently, and neither as plain Adam
        float[] After(OptimizerKind kind, float decay)
        {
            var task = new ToyTask(1);
            var optimizer = TrainerSetup.Create(task, new OptimConfig { Optimizer = kind, WeightDecay = decay, Schedule = ScheduleKind.Constant, Lr = 0.1f }, t, 1).Optimizer;
            task.Loss(task.Batches(0)[0]).Loss.Backward();
            optimizer.Step();
            return (float[])task.Model.Parameters()[0].Data.Clone();
        }
        var plain = After(OptimizerKind.Adam, 0);
        Assert.Equal(plain, After(OptimizerKind.Adamw, 0));
        Assert.NotEqual(plain, After(OptimizerKind.Adam, 0.5f));
        Assert.NotEqual(plain, After(OptimizerKind.Adamw, 0.5f));
        Assert.NotEqual(After(OptimizerKind.Adam, 0.5f), After(OptimizerKind.Adamw, 0.5f));
    }

    [Fact]
    public void ValidationEachEpochCountsTheBatchesOnlyWhenAsked()
    {
        var o = new OptimConfig { Schedule = ScheduleKind.Constant };
        var perEpoch = new ToyTask(6);
        Assert.Equal(6, TrainerSetup.Create(perEpoch, o, new TrainConfig { MaxSteps = 10 }, 1).Options.ValidEvery);
        var fixedEvery = new ToyTask(6);
        var options = TrainerSetup.Create(fixedEvery, o with { Accumulation = 2, ClipNorm = 0.5f }, new TrainConfig { MaxSteps = 10, ValidEvery = 3, Patience = 2, StopAtScore = 1 }, 7).Options;
        Assert.Equal(0, fixedEvery.EpochsCounted);
        Assert.Equal(new TrainerOptions { Seed = 7, MaxSteps = 10, ValidEvery = 3, Patience = 2, StopAtScore = 1, Accumulation = 2, ClipNorm = 0.5f }, options);
    }

    [Fact]
    public void EveryKeyOfTheSharedSectionsIsValidated()
    {
        Assert.Null(new OptimConfig().Problem());
        Assert.Contains("optim.lr", new OptimConfig { Lr = 0 }.Problem());
        Assert.Contains("optim.min_lr", new OptimConfig { MinLr = 2 }.Problem());
        Assert.Contains("optim.betas", new OptimConfig { Betas = [0.9f] }.Problem());
        Assert.Contains("optim.eps", new OptimConfig { Eps = 0 }.Problem());
        Assert.Contains("optim.weight_decay", new OptimConfig { WeightDecay = -1 }.Problem());
        Assert.Contains("optim.gamma", new OptimConfig { Gamma = 0 }.Problem());
        Assert.Contains("optim.accumulation", new OptimConfig { Accumulation = 0 }.Problem());
        Assert.Contains("optim.max_tokens", new TokenBudgetOptimConfig { MaxTokens = 0 }.Problem());
        Assert.Contains("optim.label_smoothing", new TokenBudgetOptimConfig { LabelSmoothing = 1 }.Problem());
        Assert.Contains("so training ends", new TrainConfig().Problem());
        Assert.Contains("train.valid_every", new TrainConfig { MaxSteps = 1, ValidEvery = -1 }.Problem());
        Assert.Contains("train.threads", new TrainConfig { MaxSteps = 1, Threads = -1 }.Problem());
    }
}
