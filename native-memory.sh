# Sourced by ./runner and benchmarks/run before they start a JVM: glibc malloc settings that keep
# the resident memory of a long DJL run flat.
#
# libtorch allocates every tensor with malloc. By default glibc raises its mmap threshold each
# time a large block is freed, so after the first steps the large tensors of a training step come
# from the heap arenas instead of mmap, and what is freed there stays resident: a kd run on the
# quick start grew +18 % from epoch 2 to 10 and ended at ~1 GiB (benchmarks/results/2026-11-23.md).
# A fixed threshold of 128 KiB (the default's starting value) keeps large tensors in mmap, returned
# to the system when freed: the same run stayed between 583 and 720 MiB with no trend. Setting
# either variable yourself overrides the value here.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-131072}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-131072}"
