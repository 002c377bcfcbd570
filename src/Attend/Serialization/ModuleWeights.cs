// A module's weights in a safetensors file: each distinct parameter and buffer once (a tied weight under its first name), with an
// optional name prefix. Used by model directories, training checkpoints and the snapshots that are averaged.
using Attend.Nn;
using Attend.Tensors;

namespace Attend.Serialization;

/// <summary>Writes and reads module weights by parameter name.</summary>
public static class ModuleWeights
{
    /// <summary>Adds every distinct parameter under <paramref name="prefix"/> + its first name.</summary>
    public static void Add(SafeTensorsWriter writer, Module model, string prefix = "")
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (name, t) in model.NamedState())
            if (seen.Add(t)) writer.Add(prefix + name, t.Data, t.Shape.ToArray());
    }

    /// <summary>Copies weights stored under <paramref name="prefix"/> into the model (tied weights from their first name).</summary>
    public static void Load(SafeTensorsFile file, Module model, string prefix = "")
    {
        var seen = new HashSet<Tensor>(ReferenceEqualityComparer.Instance);
        foreach (var (name, t) in model.NamedState())
        {
            if (!seen.Add(t)) continue;
            var entry = file.Entries.GetValueOrDefault(prefix + name)
                ?? throw new SafeTensorsException(file.Source, $"tensor '{prefix + name}' is missing (is this checkpoint from another model?)");
            if (!entry.Shape.SequenceEqual(t.Shape.ToArray()))
                throw new SafeTensorsException(file.Source, $"tensor '{prefix + name}': shape ({string.Join(", ", entry.Shape)}), the model has {t.Shape}");
            file.ReadFloats(prefix + name, t.Data);
        }
    }
}
