using Microsoft.VisualStudio.TestTools.UnitTesting;

// Namespace tests name their namespaces uniquely, so classes can run side by side; most of
// their time is spent waiting on the kernel and on peers, not on the two cores.
[assembly: Parallelize(Workers = 4, Scope = ExecutionScope.ClassLevel)]
