// Test sentences for the MiniLM comparisons: short and long (up to 256 tokens), punctuation, digits, accents, several
// scripts, emoji, control characters and odd whitespace.
namespace Attend.Pretrained.Tests;

internal static class Sentences
{
    private const string Story =
        "The committee met on Tuesday to review the proposal, which had been revised three times since March. " +
        "Several members argued that the budget was too optimistic; others thought the timeline was the real problem. ";

    public static readonly string[] All =
    [
        "A man is playing a guitar.",
        "A woman is slicing an onion.",
        "The cat sits outside.",
        "The new movie is awesome!",
        "Do you like pizza?",
        "hello",
        "",
        "a",
        "I love dogs.",
        "I hate dogs.",
        "Paris is the capital of France.",
        "What is the capital of France?",
        "The quick brown fox jumps over the lazy dog.",
        "Semantic search finds documents by meaning, not by keywords.",
        "GPU prices rose 35% in Q3 2024 — analysts expected 12%.",
        "e-mail me at someone@example.com or call +1 (555) 010-9999.",
        "C++ and C# are different languages; F# is functional.",
        "Café, naïve, résumé, coöperate, Ångström, façade.",
        "Straße und Grüße aus München!",
        "El niño comió una manzana en la mañana.",
        "Это предложение написано по-русски.",
        "Αυτή είναι μια ελληνική πρόταση.",
        "这是一个中文句子，用于测试。",
        "日本語の文章もテストします。",
        "한국어 문장도 있습니다.",
        "هذه جملة باللغة العربية.",
        "यह हिंदी में एक वाक्य है।",
        "Emoji 😀🎉👍 in the middle of text 🚀.",
        "Tabs\tand\nnewlines\r\nand  multiple   spaces.",
        "zero\u200bwidth and non\u00a0breaking spaces",
        "\u0000control\u0007characters\u001b removed",
        "“Curly quotes” and ‘single ones’ — with dashes… and ellipses.",
        "ＡＢＣ full-width letters and ①②③ circled digits",
        "UPPER CASE SENTENCE WITH SHOUTING!!!",
        "MiXeD CaSe WoRdS aNd AcRoNyMs LiKe NASA, FBI, and HTML.",
        "Internationalization and unaffable antidisestablishmentarianism.",
        "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "3.14159 2.71828 1,000,000 0.0001 -42 +7 1e-9",
        "https://huggingface.co/sentence-transformers/all-MiniLM-L6-v2?x=1&y=2#top",
        "[CLS] special tokens [SEP] in the text [MASK] here [UNK]",
        "The [mask] lower-case brackets are just text.",
        "don't can't won't shouldn't y'all'd've",
        "#hashtag @mention $TICKER %percent ^caret &amp; *star*",
        "I went to the bank to deposit money.",
        "I sat on the bank of the river.",
        "Machine learning models need data.",
        "Neural networks learn representations.",
        "The weather today is sunny and warm.",
        "It is raining heavily in London.",
        "Stocks fell sharply after the announcement.",
        Story,
        string.Concat(Enumerable.Repeat(Story, 3)),
        string.Concat(Enumerable.Repeat(Story, 6)),
        string.Concat(Enumerable.Repeat("Attention is all you need. ", 40)),
    ];
}
