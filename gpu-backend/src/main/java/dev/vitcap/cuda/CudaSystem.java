package dev.vitcap.cuda;

import dev.vitcap.kernel.Probe;
import org.bytedeco.javacpp.SizeTPointer;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.bytedeco.cuda.global.cublas.cublasGetProperty;
import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_NO_DEVICE;
import static org.bytedeco.cuda.global.cudart.CUDA_ERROR_STUB_LIBRARY;
import static org.bytedeco.cuda.global.cudart.MAJOR_VERSION;
import static org.bytedeco.cuda.global.cudart.MINOR_VERSION;
import static org.bytedeco.cuda.global.cudart.PATCH_LEVEL;
import static org.bytedeco.cuda.global.cudart.cuDeviceGet;
import static org.bytedeco.cuda.global.cudart.cuDeviceGetName;
import static org.bytedeco.cuda.global.cudart.cuDeviceTotalMem;
import static org.bytedeco.cuda.global.cudart.cuDriverGetVersion;
import static org.bytedeco.cuda.global.cudart.cuInit;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMajor;
import static org.bytedeco.cuda.global.cudart.cudaDevAttrComputeCapabilityMinor;
import static org.bytedeco.cuda.global.cudart.cudaDeviceGetAttribute;
import static org.bytedeco.cuda.global.cudart.cudaErrorInsufficientDriver;
import static org.bytedeco.cuda.global.cudart.cudaErrorNoDevice;
import static org.bytedeco.cuda.global.cudart.cudaGetDeviceCount;
import static org.bytedeco.cuda.global.cudart.cudaRuntimeGetVersion;
import static org.bytedeco.cuda.global.cudnn.cudnnGetVersion;

/**
 * What the machine's CUDA stack offers, found once per process, step by step in the order things
 * break: the JavaCPP bindings, the driver ({@code libcuda.so.1}), the runtime ({@code libcudart.so.13}),
 * a visible GPU of compute capability 8.0 or more, cuBLAS, and cuDNN (optional: without it the
 * whole-sequence LSTM composes cuBLAS products and the fused cell). Every failure becomes a sentence a
 * user can act on; nothing here throws, and nothing creates a CUDA context (the probe stays fast).
 */
final class CudaSystem {
    static final int MIN_MAJOR = 8;
    static final String PTX = "/dev/vitcap/cuda/vitcap_kernels.ptx";

    /** The probe's verdict, and whether cuDNN can be used (with the reason when not). */
    record Report(Probe probe, boolean cudnn, String cudnnProblem) {
    }

    private static Report report;

    private CudaSystem() {
    }

    static synchronized Report get() {
        if (report == null) report = examine();
        return report;
    }

    /** A step that found the backend unusable, with the reason. */
    private static final class Unusable extends Exception {
        Unusable(String reason) {
            super(reason, null, false, false);
        }
    }

    private static Report examine() {
        try {
            // JavaCPP looks for the CUDA libraries in the presets' folders (/usr/local/cuda/lib64) and,
            // with pathsFirst, by their versioned names (libcudart.so.13, as pip's CUDA packages ship
            // them) in java.library.path, i.e. LD_LIBRARY_PATH, before it would look inside jars.
            if (System.getProperty("org.bytedeco.javacpp.pathsFirst") == null) System.setProperty("org.bytedeco.javacpp.pathsFirst", "true");
            if (CudaSystem.class.getResource(PTX) == null) throw new Unusable("the kernels' PTX resource " + PTX + " is missing from the class path (a broken build)");
            load("org.bytedeco.cuda.global.cudart", null);
            StringBuilder detail = new StringBuilder(runtimeAndDevice());
            load("org.bytedeco.cuda.global.cublas", "cuBLAS (libcublas.so.13) not loadable: ");
            detail.append("; cuBLAS ").append(cublasVersion());
            String cudnnProblem = null;
            try {
                load("org.bytedeco.cuda.global.cudnn", "");
                long v = cudnnGetVersion();
                if (v / 10000 != 9) cudnnProblem = "cuDNN " + cudnnVersion(v) + " found, version 9 needed";
                else detail.append("; cuDNN ").append(cudnnVersion(v));
            } catch (Unusable u) {
                cudnnProblem = u.getMessage();
            }
            if (cudnnProblem != null) {
                detail.append("; cuDNN not usable (").append(cudnnProblem)
                        .append("): the whole-sequence LSTM runs as cuBLAS products and fused cells");
            }
            return new Report(Probe.usable(detail.toString()), cudnnProblem == null, cudnnProblem);
        } catch (Unusable u) {
            return new Report(Probe.unusable(u.getMessage()), false, u.getMessage());
        } catch (Throwable t) { // a probe never throws
            return new Report(Probe.unusable("probing CUDA failed: " + t), false, t.toString());
        }
    }

    /** Initialises a JavaCPP class (which loads its JNI library and the CUDA libraries it links to). */
    private static void load(String className, String prefix) throws Unusable {
        try {
            Class.forName(className, true, CudaSystem.class.getClassLoader());
        } catch (Throwable t) {
            throw new Unusable((prefix == null ? "" : prefix) + loadFailure(t));
        }
    }

    private static String runtimeAndDevice() throws Unusable {
        int[] v = new int[1];
        int init = cuInit(0);
        if (init == CUDA_ERROR_STUB_LIBRARY) {
            throw new Unusable("libcuda.so.1 is the CUDA toolkit's stub, not a driver: take the toolkit's stubs folder off LD_LIBRARY_PATH");
        }
        if (init == CUDA_ERROR_NO_DEVICE) throw new Unusable("no GPU visible (cuInit: no CUDA-capable device)" + visibleDevicesHint());
        if (init != 0) throw new Unusable("the CUDA driver failed to start (cuInit: " + Cuda.driverError(init) + ")");
        cuDriverGetVersion(v);
        int driver = v[0];
        cudaRuntimeGetVersion(v);
        int runtime = v[0];
        int count = cudaGetDeviceCount(v);
        if (count == cudaErrorInsufficientDriver) {
            throw new Unusable(driver < runtime
                    ? "the CUDA driver (" + version(driver) + ") is older than the runtime (" + version(runtime) + "): update the NVIDIA driver"
                    : "the CUDA runtime " + version(runtime) + " cannot use the driver (" + version(driver) + ", "
                    + Cuda.runtimeError(count) + "): reinstall the NVIDIA driver");
        }
        if (count == cudaErrorNoDevice || (count == 0 && v[0] == 0)) {
            throw new Unusable("no GPU visible (cudaGetDeviceCount = 0)" + visibleDevicesHint());
        }
        if (count != 0) throw new Unusable("cudaGetDeviceCount failed: " + Cuda.runtimeError(count));
        int devices = v[0];
        int[] major = new int[1], minor = new int[1], device = new int[1];
        Cuda.check(cudaDeviceGetAttribute(major,
                cudaDevAttrComputeCapabilityMajor, 0), "cudaDeviceGetAttribute");
        Cuda.check(cudaDeviceGetAttribute(minor,
                cudaDevAttrComputeCapabilityMinor, 0), "cudaDeviceGetAttribute");
        Cuda.checkDriver(cuDeviceGet(device, 0), "cuDeviceGet");
        byte[] name = new byte[256];
        Cuda.checkDriver(cuDeviceGetName(name, name.length, device[0]), "cuDeviceGetName");
        SizeTPointer memory = new SizeTPointer(1);
        Cuda.checkDriver(cuDeviceTotalMem(memory, device[0]), "cuDeviceTotalMem");
        String cc = major[0] + "." + minor[0];
        if (major[0] < MIN_MAJOR) {
            throw new Unusable("compute capability " + cc + " is below the " + MIN_MAJOR + ".0 the kernels target (GPU 0: " + cString(name) + ")");
        }
        return String.format(Locale.ROOT, "CUDA driver %s, runtime %s; GPU 0 of %d: %s, compute capability %s, %.1f GiB",
                version(driver), version(runtime), devices, cString(name), cc, memory.get() / (double) (1L << 30));
    }

    private static String cublasVersion() {
        int[] part = new int[1];
        StringBuilder s = new StringBuilder();
        for (int kind : new int[]{MAJOR_VERSION, MINOR_VERSION,
                PATCH_LEVEL}) {
            cublasGetProperty(kind, part);
            s.append(s.length() == 0 ? "" : ".").append(part[0]);
        }
        return s.toString();
    }

    private static String visibleDevicesHint() {
        String visible = System.getenv("CUDA_VISIBLE_DEVICES");
        return visible == null ? "" : " (CUDA_VISIBLE_DEVICES=" + visible + ")";
    }

    /** CUDA's encoding of versions, 1000·major + 10·minor. */
    static String version(int encoded) {
        return encoded / 1000 + "." + encoded % 1000 / 10;
    }

    /** cuDNN 9's encoding, 10000·major + 100·minor + patch. */
    static String cudnnVersion(long encoded) {
        return encoded / 10000 + "." + encoded % 10000 / 100 + "." + encoded % 100;
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) n++;
        return new String(bytes, 0, n, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static final Pattern MISSING = Pattern.compile("([^\\s/:]+\\.so[.0-9]*): cannot open shared object file");
    private static final Pattern UNDEFINED = Pattern.compile("undefined symbol: (\\S+)");

    /**
     * Why loading a JavaCPP class failed, from the dynamic linker's words anywhere in the cause chain:
     * the first library it could not open, a missing symbol (a version mismatch), or the bindings absent.
     */
    static String loadFailure(Throwable t) {
        String undefined = null;
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            Matcher missing = MISSING.matcher(m);
            if (missing.find()) return missingLibrary(missing.group(1));
            Matcher symbol = UNDEFINED.matcher(m);
            if (symbol.find() && undefined == null) undefined = symbol.group(1);
            if (c instanceof ClassNotFoundException || (c instanceof NoClassDefFoundError && m.contains("org/bytedeco/javacpp"))) {
                return "the JavaCPP CUDA presets (org.bytedeco:cuda and org.bytedeco:javacpp) are not on the class path";
            }
        }
        if (undefined != null) return "a library lacks the symbol " + undefined + " (a CUDA or cuDNN version older than the bindings' 13.1 / 9.19?)";
        Throwable root = t;
        while (root.getCause() != null) root = root.getCause();
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }

    static String missingLibrary(String library) {
        if (library.startsWith("libcuda.so")) {
            return "no CUDA driver (" + library + " not found): install the NVIDIA driver, or run on a machine with an NVIDIA GPU";
        }
        if (library.startsWith("libcudart.so")) {
            return "CUDA runtime library " + library + " not found: install the CUDA 13 runtime (e.g. pip's nvidia-cuda-runtime) "
                    + "and add its lib folder to LD_LIBRARY_PATH";
        }
        return library + " not found: add the folder that holds it to LD_LIBRARY_PATH";
    }
}
