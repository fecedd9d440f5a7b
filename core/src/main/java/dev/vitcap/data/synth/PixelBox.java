package dev.vitcap.data.synth;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** The pixels an object covers: columns x0 until x1 and rows y0 until y1, the ends excluded. */
@JsonFormat(shape = JsonFormat.Shape.ARRAY)
@JsonPropertyOrder({"x0", "y0", "x1", "y1"})
public record PixelBox(int x0, int y0, int x1, int y1) {
}
