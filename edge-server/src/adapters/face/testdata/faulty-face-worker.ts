/**
 * Test stand-in for `face-worker.ts`: the real worker with its real models,
 * except that a frame whose width is one of the planted `FAULT_WIDTHS` makes
 * it hang, exit or crash. Every worker the engine starts (replacements too)
 * runs this script, so only the planted frame fails.
 */
// Imported first, so its listener runs before the real worker's and can pre-empt it.
import "./planted-faults.ts";
import "../face-worker.ts";
