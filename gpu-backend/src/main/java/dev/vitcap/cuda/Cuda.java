package dev.vitcap.cuda;

import dev.vitcap.kernel.BackendException;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;

import static org.bytedeco.cuda.global.cudart.cuGetErrorName;
import static org.bytedeco.cuda.global.cudart.cuGetErrorString;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorName;
import static org.bytedeco.cuda.global.cudart.cudaGetErrorString;

/** Status checks of the runtime and driver APIs, and device addresses in the bindings' pointer type. */
final class Cuda {
    private Cuda() {
    }

    /** A device address as JavaCPP's pointer type, which the bindings pass through unchanged. */
    static final class Address extends Pointer {
        Address(long address) {
            this.address = address;
        }
    }

    static Pointer at(long address) {
        return new Address(address);
    }

    static Pointer at(DeviceTensor t) {
        return t == null ? null : new Address(t.address());
    }

    /** Throws unless a runtime API call returned cudaSuccess. */
    static void check(int error, String call) {
        if (error != 0) throw new BackendException(call + " failed: " + runtimeError(error));
    }

    /** Throws unless a driver API call returned CUDA_SUCCESS. */
    static void checkDriver(int result, String call) {
        if (result != 0) throw new BackendException(call + " failed: " + driverError(result));
    }

    static String runtimeError(int error) {
        return cudaGetErrorName(error).getString() + " (" + cudaGetErrorString(error).getString() + ")";
    }

    static String driverError(int result) {
        BytePointer name = new BytePointer((Pointer) null), text = new BytePointer((Pointer) null);
        cuGetErrorName(result, name);
        cuGetErrorString(result, text);
        if (name.isNull()) return "CUresult " + result;
        return name.getString() + (text.isNull() ? "" : " (" + text.getString() + ")");
    }
}
