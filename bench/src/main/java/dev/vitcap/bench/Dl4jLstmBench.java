package dev.vitcap.bench;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Random;
import java.util.concurrent.TimeUnit;

import static dev.vitcap.bench.LstmLanguageModelBench.BATCH;
import static dev.vitcap.bench.LstmLanguageModelBench.EMB;
import static dev.vitcap.bench.LstmLanguageModelBench.HID;
import static dev.vitcap.bench.LstmLanguageModelBench.STEPS;
import static dev.vitcap.bench.LstmLanguageModelBench.VOCAB;

/**
 * The baseline for {@link LstmLanguageModelBench}: the same language-model step with Deeplearning4j's
 * stock layers (EmbeddingSequenceLayer, LSTM, RnnOutputLayer with softmax cross-entropy), Adam.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Dl4jLstmBench {
    MultiLayerNetwork net;
    DataSet batch;

    @Setup(Level.Trial)
    public void setUp() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(0).dataType(DataType.FLOAT).updater(new Adam(1e-3)).weightInit(WeightInit.XAVIER)
                .list()
                .layer(new EmbeddingSequenceLayer.Builder().nIn(VOCAB).nOut(EMB).inputLength(STEPS).outputDataFormat(RNNFormat.NCW).build())
                .layer(new LSTM.Builder().nIn(EMB).nOut(HID).activation(Activation.TANH).dataFormat(RNNFormat.NCW).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT).activation(Activation.SOFTMAX).nIn(HID).nOut(VOCAB)
                        .dataFormat(RNNFormat.NCW).build())
                .build();
        net = new MultiLayerNetwork(conf);
        net.init();
        Random rng = new Random(0);
        INDArray in = Nd4j.create(DataType.FLOAT, BATCH, STEPS);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, BATCH, VOCAB, STEPS);
        for (int b = 0; b < BATCH; b++) {
            for (int t = 0; t < STEPS; t++) {
                in.putScalar(b, t, rng.nextInt(VOCAB));
                labels.putScalar(new int[]{b, rng.nextInt(VOCAB), t}, 1f);
            }
        }
        batch = new DataSet(in, labels);
    }

    @Benchmark
    public double trainStep() {
        net.fit(batch);
        return net.score();
    }
}
