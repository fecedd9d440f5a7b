package dev.vitcap.spark;

import scala.jdk.javaapi.CollectionConverters;

import java.util.List;

/** Values for Spark rows built in Java. */
final class Rows {
    private Rows() {}

    /** A list as the Scala sequence a row's array column must hold (Spark's row encoder takes no Java list). */
    static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return CollectionConverters.asScala(list).toList();
    }
}
