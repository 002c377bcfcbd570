// Word dropout (Iyyer et al. 2015; Kiperwasser & Goldberg 2016): in training, each real word id is replaced by <unk>
// with probability p, so the model cannot lean on any single word and the unknown-word vector is trained. The draws
// come from a Dropout module, which the trainer reseeds every step (exact resume), and nothing is drawn in eval mode.
using Attend.Nn;
using Attend.Text.Tokenization;

namespace Attend.Models;

/// <summary>Replaces word ids by &lt;unk&gt; at random in training mode.</summary>
public static class WordDropout
{
    /// <summary><paramref name="ids"/> with dropped words (never special tokens: padding, [CLS]) set to &lt;unk&gt;; the same array when nothing is dropped.</summary>
    public static int[] DropWords(this Dropout drop, int[] ids)
    {
        var drops = drop.DrawDrops(ids.Length);
        if (!drops.Contains(true)) return ids;
        var result = (int[])ids.Clone();
        for (int i = 0; i < result.Length; i++) if (drops[i] && !SpecialTokens.IsSpecial(result[i])) result[i] = SpecialTokens.Unk;
        return result;
    }
}
