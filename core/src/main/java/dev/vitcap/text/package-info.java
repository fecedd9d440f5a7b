/** Caption text: the vocabulary that turns captions into fixed-length id sequences and back. */
package dev.vitcap.text;
