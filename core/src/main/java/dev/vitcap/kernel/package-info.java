/**
 * The bottom layer: the kernel contract every backend implements ({@link dev.vitcap.kernel.Kernels},
 * each operation with its backward pass), tensors and arenas, the plain-Java reference backend that
 * the fast ones are checked against ({@link dev.vitcap.kernel.ReferenceKernels}, {@link dev.vitcap.kernel.SelfTest}),
 * and how a backend is found and chosen at run time ({@link dev.vitcap.kernel.Backends}, through
 * {@code ServiceLoader}). Start with {@code Kernels}. Depends on the JDK only.
 */
package dev.vitcap.kernel;
