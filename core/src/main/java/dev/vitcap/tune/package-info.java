/**
 * Hyperparameter search: the search space, the search algorithms and the trials they run.
 */
package dev.vitcap.tune;
