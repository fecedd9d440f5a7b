/**
 * Writing files safely ({@link dev.vitcap.io.AtomicFiles}: a temporary name, then a rename) and the one
 * exception for a file vitcap cannot use ({@link dev.vitcap.io.FileFormatException}). Depends on the JDK only.
 */
package dev.vitcap.io;
