/** Kernel contract and backends. */
package dev.vitcap.kernel;
