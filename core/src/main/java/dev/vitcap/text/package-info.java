/**
 * Caption text: the PTB tokenizer of the COCO caption evaluation ({@link dev.vitcap.text.PtbTokenizer},
 * start there; the lexer and its regular-expression engine behind it), and the vocabulary that turns
 * captions into fixed-length id sequences and back ({@link dev.vitcap.text.Vocabulary}). Depends on {@code io}.
 */
package dev.vitcap.text;
