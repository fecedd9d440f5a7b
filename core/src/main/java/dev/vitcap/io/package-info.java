/**
 * Writing files safely ({@link dev.vitcap.io.AtomicFiles}: a temporary name, then a rename) and the one
 * exception for a file vitcap cannot use ({@link dev.vitcap.io.FileFormatException}), the JSON parser's
 * errors in the user's words ({@link dev.vitcap.io.JsonErrors}) and text from a file as a one-line message
 * quotes it ({@link dev.vitcap.io.UserText}), and why a file is not there ({@link dev.vitcap.io.Missing}). Depends on
 * the JDK and Jackson only.
 */
package dev.vitcap.io;
