// An exponential moving average of a model's weights (Polyak averaging; timm's ModelEmaV2, Keras' use_ema): after
// every update, shadow ← d · shadow + (1 − d) · weights, over every parameter and buffer (batch-norm running
// statistics included). The decay warms up as d_t = min(decay, (1 + t) / (10 + t)) at update t, so the first updates
// are not drowned by the initial weights. Validation, export and snapshots see the averaged weights (Swap in, Swap
// back); the optimizer keeps stepping the raw ones. The shadow travels in train_state.safetensors as "ema/<i>".
using Attend.Nn;
using Attend.Serialization;
using Attend.Tensors;

namespace Attend.Training;

/// <summary>A running average of a model's weights.</summary>
public sealed class ExponentialMovingAverage
{
    private const string Prefix = "ema/";
    private readonly List<Tensor> _state;
    private readonly float[][] _shadow;

    /// <summary>Starts the average at <paramref name="model"/>'s current weights.</summary>
    public ExponentialMovingAverage(Module model, double decay)
    {
        if (!(decay is > 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(decay), decay, "the decay must lie in (0, 1)");
        Decay = decay;
        _state = model.StateTensors();
        _shadow = _state.Select(t => (float[])t.Data.Clone()).ToArray();
    }

    /// <summary>The decay once warmed up.</summary>
    public double Decay { get; }

    /// <summary>The decay used at update <paramref name="step"/> (1-based): min(decay, (1 + t) / (10 + t)).</summary>
    public double DecayAt(long step) => Math.Min(Decay, (1.0 + step) / (10.0 + step));

    /// <summary>Folds the model's current weights into the average after update <paramref name="step"/>.</summary>
    public void Update(long step)
    {
        float keep = (float)DecayAt(step), take = 1f - keep;
        for (int i = 0; i < _state.Count; i++)
        {
            var data = _state[i].Data;
            var shadow = _shadow[i];
            for (int j = 0; j < data.Length; j++) shadow[j] = keep * shadow[j] + take * data[j];
        }
    }

    /// <summary>Exchanges the model's weights with the average; calling it twice restores both.</summary>
    public void Swap()
    {
        for (int i = 0; i < _state.Count; i++)
        {
            var data = _state[i].Data;
            var shadow = _shadow[i];
            for (int j = 0; j < data.Length; j++) (data[j], shadow[j]) = (shadow[j], data[j]);
        }
    }

    /// <summary>Restarts the average at the model's current weights.</summary>
    public void Reset()
    {
        for (int i = 0; i < _state.Count; i++) _state[i].Data.CopyTo(_shadow[i], 0);
    }

    /// <summary>The averaged value of state tensor <paramref name="index"/> (in <see cref="Module.StateTensors"/> order).</summary>
    public ReadOnlySpan<float> Shadow(int index) => _shadow[index];

    /// <summary>Adds the average to a checkpoint being written.</summary>
    public void Save(SafeTensorsWriter writer)
    {
        for (int i = 0; i < _shadow.Length; i++) writer.Add(Prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _shadow[i], [_shadow[i].Length]);
    }

    /// <summary>Restores the average from a checkpoint; false (and the average restarted at the model's weights) when it holds none.</summary>
    public bool Load(SafeTensorsFile file)
    {
        if (!file.Entries.ContainsKey(Prefix + "0"))
        {
            Reset();
            return false;
        }
        for (int i = 0; i < _shadow.Length; i++)
        {
            string name = Prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (!file.Entries.ContainsKey(name)) throw new SafeTensorsException(file.Source, $"'{name}' is missing: the weight average holds fewer tensors than this model");
            var values = file.ReadFloats(name);
            if (values.Length != _shadow[i].Length)
                throw new SafeTensorsException(file.Source, $"'{name}' has {values.Length} values, this model's tensor {i} has {_shadow[i].Length}");
            values.CopyTo(_shadow[i], 0);
        }
        if (file.Entries.ContainsKey(Prefix + _shadow.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            throw new SafeTensorsException(file.Source, "the weight average holds more tensors than this model");
        return true;
    }
}
