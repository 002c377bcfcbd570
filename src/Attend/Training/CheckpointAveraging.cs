// Checkpoint averaging (Vaswani et al. 2017 §6.1; fairseq scripts/average_checkpoints.py): the element-wise mean of
// the weights saved at the last N validations, which usually scores a little higher than any single one.
using Attend.Nn;
using Attend.Serialization;

namespace Attend.Training;

/// <summary>Averages saved weights into a model.</summary>
public static class CheckpointAveraging
{
    /// <summary>Sets every parameter and buffer of <paramref name="model"/> to the mean of its values in <paramref name="paths"/> (files of <see cref="ModuleWeights.Add"/>).</summary>
    public static void Average(Module model, IReadOnlyList<string> paths)
    {
        if (paths.Count == 0) throw new ArgumentException("no checkpoints to average");
        var parameters = model.StateTensors();
        var sums = parameters.Select(p => new double[p.Size]).ToList();
        foreach (var path in paths)
        {
            ModuleWeights.Load(SafeTensorsFile.Load(path), model);
            for (int i = 0; i < parameters.Count; i++)
            {
                var data = parameters[i].Data;
                for (int j = 0; j < data.Length; j++) sums[i][j] += data[j];
            }
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            var data = parameters[i].Data;
            for (int j = 0; j < data.Length; j++) data[j] = (float)(sums[i][j] / paths.Count);
        }
    }
}
