/**
 * {@code vitcap serve}: an HTTP API over {@link dev.vitcap.caption.ImageCaptioner} (Javalin on Jetty),
 * the web page it serves from the jar, and the JSON form of a caption shared with the command line.
 */
package dev.vitcap.serve;
