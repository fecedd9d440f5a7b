/**
 * Writing files safely ({@link dev.vitcap.io.AtomicFiles}: a temporary name, then a rename) and the one
 * exception for a file vitcap cannot use ({@link dev.vitcap.io.FileFormatException}), and the JSON parser's
 * errors in the user's words ({@link dev.vitcap.io.JsonErrors}). Depends on the JDK and Jackson only.
 */
package dev.vitcap.io;
