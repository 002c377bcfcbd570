// Where a Hugging Face model directory keeps its weights, shared by every Hugging Face loader (BERT, GPT-2).
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Serialization;

/// <summary>Finds model.safetensors in a Hugging Face directory.</summary>
public static class HuggingFaceWeights
{
    /// <summary>
    /// The model.safetensors of a Hugging Face directory, or a one-line refusal that names it as the fix when only a
    /// pickle (never read: loading one can run code), TensorFlow, Flax or sharded file is there.
    /// </summary>
    public static string Path(string dir)
    {
        string path = ModelDirectory.WeightsPath(dir);
        if (File.Exists(path)) return path;
        foreach (var other in new[] { "pytorch_model.bin", "tf_model.h5", "flax_model.msgpack", "model.safetensors.index.json" })
            if (File.Exists(System.IO.Path.Combine(dir, other)))
                throw new DataFormatException(System.IO.Path.Combine(dir, other), 0, other.EndsWith(".json")
                    ? "sharded weights are not supported: save the model as one model.safetensors (save_pretrained(dir, max_shard_size=\"10GB\"))"
                    : $"{other} is not read ({(other.EndsWith(".bin") ? "a pickle can run code when loaded" : "another framework's format")}); download or save model.safetensors instead (save_pretrained(dir, safe_serialization=True))");
        throw MissingFile.Error(path);
    }

    /// <summary>
    /// Builds an empty model for the weights in <paramref name="file"/>: no random draws (every tensor is read next),
    /// and sizes the file cannot back (plus <paramref name="extraElements"/> of computed tables) are a format error of
    /// <paramref name="configPath"/> before any large allocation; <paramref name="keys"/> names the keys to check.
    /// </summary>
    public static T Build<T>(string configPath, SafeTensorsFile file, long extraElements, string keys, Func<T> create)
    {
        try
        {
            using (AllocationBudget.Limit(file.ElementCount() + extraElements + ModelDirectory.BuildSlackElements))
            using (Tensor.SkipRandomInit()) return create();
        }
        catch (AllocationBudgetException e)
        {
            throw new DataFormatException(configPath, 0, $"the model it describes needs at least {AllocationBudgetException.Bytes(e.Requested)} of tensors, but model.safetensors holds {AllocationBudgetException.Bytes(file.ElementCount())} (check {keys})");
        }
        catch (ArgumentException e)
        {
            throw new DataFormatException(configPath, 0, $"the sizes it gives cannot be built: {e.Message}");
        }
    }
}
