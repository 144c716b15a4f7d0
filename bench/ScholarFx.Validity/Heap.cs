using System.Runtime;

namespace ScholarFx.Validity;

/// <summary>Measuring what a structure keeps alive on the managed heap (the view bench and the memory test).</summary>
public static class Heap
{
    /// <summary>Live managed memory after full, compacting collections (the large object heap included).</summary>
    public static long Retained()
    {
        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }
}
