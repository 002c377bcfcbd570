// A cap on the tensor memory one thread may allocate inside a scope. Building a model from a config is the one place
// where untrusted numbers (d_model, vocab_size, max_positions, …) decide how much memory is taken, so loaders build
// the model inside a budget derived from its weights file, and training inside what the machine can hold: a config
// that asks for more is refused before the allocation, never by an out-of-memory crash.
namespace Attend.Tensors;

/// <summary>Scoped limits on tensor allocation (per thread).</summary>
public static class AllocationBudget
{
    [ThreadStatic] private static long _remaining;
    [ThreadStatic] private static long _limit;
    [ThreadStatic] private static bool _active;

    /// <summary>Within the returned scope, tensors this thread creates may hold at most <paramref name="elements"/> floats in all.</summary>
    public static Scope Limit(long elements)
    {
        var scope = new Scope(_active, _remaining, _limit);
        _active = true;
        _limit = elements;
        _remaining = elements;
        return scope;
    }

    /// <summary>Float elements the machine can give tensors: what the GC may use (a container or heap limit), less a reserve.</summary>
    public static long MachineElements()
    {
        long bytes = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        return Math.Max(0, bytes - (256L << 20)) / sizeof(float);
    }

    /// <summary>Takes <paramref name="dims"/>' element count from the budget, or throws before anything is allocated.</summary>
    internal static void Take(ReadOnlySpan<int> dims)
    {
        if (!_active) return;
        long n = 1;
        foreach (int d in dims)
        {
            // a negative dimension here is an int product that overflowed in the caller: far beyond any budget
            if (d < 0) throw new AllocationBudgetException(long.MaxValue, _limit);
            n = n > long.MaxValue / Math.Max(d, 1) ? long.MaxValue : n * d;
        }
        if (n > _remaining) throw new AllocationBudgetException(_limit - _remaining + n, _limit);
        _remaining -= n;
    }

    /// <summary>Restores the enclosing budget.</summary>
    public readonly struct Scope(bool active, long remaining, long limit) : IDisposable
    {
        /// <inheritdoc/>
        public void Dispose()
        {
            _active = active;
            _remaining = remaining;
            _limit = limit;
        }
    }
}

/// <summary>An allocation would exceed the <see cref="AllocationBudget"/> in force.</summary>
public sealed class AllocationBudgetException(long requested, long limit)
    : Exception($"needs {Bytes(requested)} of tensors, {Bytes(limit)} allowed")
{
    /// <summary>Elements asked for in the scope so far (long.MaxValue when past any count).</summary>
    public long Requested { get; } = requested;

    /// <summary>The budget in elements.</summary>
    public long Limit { get; } = limit;

    /// <summary>Elements as a readable size in bytes of float32.</summary>
    public static string Bytes(long elements) => elements >= long.MaxValue / 4 ? "more than 2 EiB" : FormatBytes(elements * 4);

    private static string FormatBytes(long b) => b switch
    {
        >= 1L << 30 => $"{b / (double)(1L << 30):F1} GiB",
        >= 1L << 20 => $"{b / (double)(1L << 20):F1} MiB",
        _ => $"{b / 1024.0:F1} KiB",
    };
}
