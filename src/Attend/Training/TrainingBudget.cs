// Building a model to train from a run config: the config's sizes decide the memory, so the model is built inside
// a budget of what this process may use (a container or heap limit included), a quarter of it, since training also
// keeps a gradient and Adam's two moments per parameter. A config that asks for more is a clear error, not an
// out-of-memory crash minutes later.
using Attend.Tensors;
using Attend.Text.Corpora;

namespace Attend.Training;

/// <summary>Builds models to train within what the machine can hold.</summary>
public static class TrainingBudget
{
    /// <summary>The model <paramref name="create"/> builds, or an error naming the config's "model" section when it cannot fit.</summary>
    public static T Build<T>(Func<T> create)
    {
        long machine = AllocationBudget.MachineElements();
        try
        {
            using (AllocationBudget.Limit(machine / 4)) return create();
        }
        catch (AllocationBudgetException e)
        {
            throw new DataFormatException("config", 0,
                $"model: it needs at least {AllocationBudgetException.Bytes(e.Requested)} of parameters, and training keeps 4× that " +
                $"(gradients, Adam's moments): more than the {AllocationBudgetException.Bytes(machine)} this process may use");
        }
    }
}
