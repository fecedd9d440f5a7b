/**
 * Writing files safely ({@link dev.vitcap.io.AtomicFiles}: a temporary name, then a rename) and the one
 * exception for a file vitcap cannot use ({@link dev.vitcap.io.FileFormatException}), and why a file is not
 * there ({@link dev.vitcap.io.Missing}). Depends on the JDK only.
 */
package dev.vitcap.io;
