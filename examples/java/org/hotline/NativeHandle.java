// NativeHandle: what SlaPolicy, Store, KnowledgeBase and Report share, one pointer the
// library allocated and the call that frees it.
package org.hotline;

import com.sun.jna.Pointer;

abstract class NativeHandle implements AutoCloseable {
  private volatile Pointer handle;
  private final String what;

  NativeHandle(Pointer handle, String what) {
    if (handle == null) throw new IllegalStateException("the library returned no " + what);
    this.handle = handle;
    this.what = what;
  }

  /** Frees the pointer with the header's _free function. */
  abstract void free(Pointer handle);

  /** The pointer for calls on HotlineLib; an IllegalStateException once closed, never a freed pointer. */
  Pointer handle() {
    Pointer h = handle;
    if (h == null) throw new IllegalStateException("the " + what + " is closed");
    return h;
  }

  /** h's pointer, or NULL for a Java null: the library's NULL check answers (invalid_argument). */
  static Pointer pointer(NativeHandle h) { return h == null ? null : h.handle(); }

  /**
   * Frees the handle; later calls throw IllegalStateException.  Closing twice is fine.  No
   * call on it may be running on another thread (the C _free functions ask the same).
   */
  @Override
  public synchronized void close() {
    Pointer h = handle;
    if (h != null) {
      handle = null;
      free(h);
    }
  }
}
