/*
 * A stand-in for a reader vendor's WLT library, for tests of wlt-ffi-decoder.ts.
 * It decodes nothing: it checks the "WLf" magic and paints a pattern derived
 * from the input, so the adapter's loading, error mapping, channel order and
 * row flipping can be checked without the licensed library.
 *
 * ABI "unpack-rgb", exported under the C++ name libwlt2bmp.so uses
 * (`_Z6unpackPcS_i` = `int unpack(char *, char *, int)`, spec §8.1).
 * Output: 102 x 126 pixels, B,G,R per pixel, bottom row first (BMP order).
 * For top-down row y and column x the image is
 *   R = seed + x,  G = seed + 2y,  B = arg + x + y   (all mod 256)
 * where seed is input byte 16.
 *
 * Build: gcc -O2 -shared -fPIC -o libfakewlt.so fake-wlt.c
 */
#include <string.h>

#define WIDTH 102
#define HEIGHT 126
#define CHANNELS 3
#define RGB_BYTES (WIDTH * HEIGHT * CHANNELS)
#define SEED_OFFSET 16
/* A BMP row is padded to 308 bytes; a library writing BMP rows overruns by this much. */
#define BMP_EXTRA_BYTES (HEIGHT * 2 + 54)

/* WltRS return codes (spec section 4). */
#define WLT_OK 1
#define WLT_DECODE_ERROR (-1)
#define WLT_BAD_FORMAT (-4)

static int has_magic(const unsigned char *wlt) {
  return wlt[0] == 0x57 && wlt[1] == 0x4c && wlt[2] == 0x66;
}

static void paint(const unsigned char *wlt, unsigned char *out, int arg) {
  unsigned seed = wlt[SEED_OFFSET];
  for (int y = 0; y < HEIGHT; y++) {
    unsigned char *row = out + (size_t)(HEIGHT - 1 - y) * WIDTH * CHANNELS;
    for (int x = 0; x < WIDTH; x++) {
      unsigned char *pixel = row + (size_t)x * CHANNELS;
      pixel[0] = (unsigned char)(arg + x + y);
      pixel[1] = (unsigned char)(seed + 2 * y);
      pixel[2] = (unsigned char)(seed + x);
    }
  }
}

/* The asm label gives the C function the mangled C++ name. */
int fake_unpack(char *wlt, char *out, int arg) __asm__("_Z6unpackPcS_i");

int fake_unpack(char *wlt, char *out, int arg) {
  if (wlt == 0 || out == 0) return WLT_DECODE_ERROR;
  if (!has_magic((const unsigned char *)wlt)) return WLT_BAD_FORMAT;
  paint((const unsigned char *)wlt, (unsigned char *)out, arg);
  /* The ABI takes a non-const char*: scribble on it, as a vendor library may. */
  wlt[SEED_OFFSET] = 0;
  return WLT_OK;
}

/* Like a library that writes a whole BMP file into the raw buffer. */
int unpack_overflow(char *wlt, char *out, int arg) {
  int result = fake_unpack(wlt, out, arg);
  if (result == WLT_OK) memset(out + RGB_BYTES, 0, BMP_EXTRA_BYTES);
  return result;
}

/* Like the 32-bit-only library of spec section 8.1: success, black image. */
int unpack_black(char *wlt, char *out, int arg) {
  (void)wlt;
  (void)arg;
  memset(out, 0, RGB_BYTES);
  return WLT_OK;
}
