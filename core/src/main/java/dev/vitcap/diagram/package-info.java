/**
 * Pictures of the model: {@link dev.vitcap.diagram.ArchitectureDiagram} draws a captioner's architecture
 * from its config, as SVG or PNG, with the shapes and parameter counts of {@link dev.vitcap.model.ModelSummary}.
 * Depends on {@code model}, {@code io} and the JDK.
 */
package dev.vitcap.diagram;
