using Personalization.Bench.Perf;

namespace Personalization.Tests.Bench;

/// <summary>The GC's sizes that <c>bench perf</c> reads from the gateway's <c>/metrics</c>.</summary>
public sealed class PrometheusTextTests
{
    private const string Metrics = """
        # TYPE dotnet_gc_last_collection_heap_size_bytes gauge
        dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="gen1"} 8185368
        dotnet_gc_last_collection_heap_size_bytes{otel_scope_name="System.Runtime",gc_heap_generation="loh"} 73349904
        dotnet_gc_last_collection_heap_size_bytes_extra{gc_heap_generation="gen1"} 5
        dotnet_gc_last_collection_memory_committed_size_bytes 94736384
        """;

    [Fact]
    public void Samples_of_one_metric_are_summed_over_their_labels_and_no_other_metric_counts()
    {
        Assert.Equal(8185368 + 73349904, PrometheusText.Sum(Metrics, "dotnet_gc_last_collection_heap_size_bytes"));
    }

    [Fact]
    public void A_sample_without_labels_is_read_and_a_missing_metric_is_0()
    {
        Assert.Equal(94736384, PrometheusText.Sum(Metrics, "dotnet_gc_last_collection_memory_committed_size_bytes"));
        Assert.Equal(0, PrometheusText.Sum(Metrics, "dotnet_gc_no_such_metric"));
    }
}
