import { describe, expect, test } from "bun:test";
import { padPhoto } from "../protocol/base-message-encoder.ts";
import { encodeCardText } from "../protocol/card-text-encoder.ts";
import { COMMANDS, type CommandCode } from "../protocol/constants.ts";
import { decodeFrame, encodeCommand, encodeRequest, readResponse } from "../protocol/frame.ts";
import { parseIdentityReply } from "../protocol/identity.ts";
import { parseAppendedAddress } from "../protocol/appended-address.ts";
import { SYNTHETIC_RESIDENT_CARD } from "../protocol/testdata/expected-cards.ts";
import { loadVector } from "../protocol/testdata/load-vector.ts";
import { ReaderResponder, simulatedCommandOf, type SimulatedCard } from "./reader-responder.ts";

const CARD: SimulatedCard = {
  text: encodeCardText(SYNTHETIC_RESIDENT_CARD),
  photo: padPhoto(Uint8Array.of(0xff, 0xd8, 0xff, 0xe0)),
  fingerprint: new Uint8Array(1024).fill(7),
};

function sw3(reply: Uint8Array): number {
  const decoded = decodeFrame(reply);
  if (!decoded.ok) throw new Error(decoded.message);
  const read = readResponse(decoded.frame);
  if (!read.ok) throw new Error(read.message);
  return read.response.sw3;
}

function send(reader: ReaderResponder, command: CommandCode, data?: Uint8Array): Uint8Array {
  return reader.respond(encodeCommand(command, data));
}

function readCycle(reader: ReaderResponder): number[] {
  return [send(reader, COMMANDS.findCard), send(reader, COMMANDS.selectCard), send(reader, COMMANDS.readBase)].map(sw3);
}

describe("ReaderResponder: the find, select, read sequence (spec §3)", () => {
  test("answers with the constant replies real readers give (golden vectors)", async () => {
    const reader = new ReaderResponder({ card: CARD });
    expect([...send(reader, COMMANDS.samStatus)]).toEqual([...(await loadVector("resp_ok_90.hex"))]);
    expect([...send(reader, COMMANDS.findCard)]).toEqual([...(await loadVector("resp_find_ok_9F.hex"))]);
    expect([...send(reader, COMMANDS.selectCard)]).toEqual([...(await loadVector("resp_select_ok_90.hex"))]);
    reader.removeCard();
    expect([...send(reader, COMMANDS.findCard)]).toEqual([...(await loadVector("resp_find_fail_80.hex"))]);
  });

  test("a read after find + select returns the card, parseable, with the photo as given", () => {
    const reader = new ReaderResponder({ card: CARD });
    send(reader, COMMANDS.findCard);
    send(reader, COMMANDS.selectCard);
    const reply = send(reader, COMMANDS.readBase);
    expect(reply.length).toBe(1295);
    const decoded = decodeFrame(reply);
    if (!decoded.ok) throw new Error(decoded.message);
    const parsed = parseIdentityReply(decoded.frame);
    expect(parsed.ok && parsed.identity.card).toEqual(SYNTHETIC_RESIDENT_CARD);
    expect(parsed.ok && parsed.identity.photo.format).toBe("jpeg");
  });

  test("30 10 returns the fingerprint templates (2321 bytes with 1024)", () => {
    const reader = new ReaderResponder({ card: CARD });
    send(reader, COMMANDS.findCard);
    send(reader, COMMANDS.selectCard);
    const reply = send(reader, COMMANDS.readBaseWithFingerprint);
    expect(reply.length).toBe(2321);
  });

  test("reading without select is refused (23), and each read needs a new find + select", () => {
    const reader = new ReaderResponder({ card: CARD });
    expect(sw3(send(reader, COMMANDS.readBase))).toBe(0x23);
    expect(readCycle(reader)).toEqual([0x9f, 0x90, 0x90]);
    expect(sw3(send(reader, COMMANDS.readBase))).toBe(0x23);
  });

  test("select without find fails (81); no card: find 80, read 41", () => {
    const reader = new ReaderResponder({ card: CARD });
    expect(sw3(send(reader, COMMANDS.selectCard))).toBe(0x81);
    reader.removeCard();
    expect(reader.cardPresent).toBe(false);
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x80);
    expect(sw3(send(reader, COMMANDS.readBase))).toBe(0x41);
  });

  test("a card lifted during its next read: that read fails (41) and the card is gone; a card placed again reads", () => {
    const reader = new ReaderResponder({ card: CARD });
    reader.liftCardDuringNextRead();
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x9f);
    expect(readCycle(reader).slice(1)).toEqual([0x90, 0x41]);
    expect(reader.cardPresent).toBe(false);
    reader.insertCard();
    expect(readCycle(reader)).toEqual([0x9f, 0x90, 0x90]);
    reader.removeCard();
    reader.liftCardDuringNextRead();
    reader.insertCard();
    expect(readCycle(reader), "asked before the card is placed, it lifts that card").toEqual([0x9f, 0x90, 0x41]);
  });

  test("a card given with cardPresent false waits for insertCard()", () => {
    const reader = new ReaderResponder({ card: CARD, cardPresent: false });
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x80);
    reader.insertCard();
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x9f);
    expect(() => new ReaderResponder().insertCard()).toThrow(/holds none/);
  });
});

describe("ReaderResponder: reread behaviour (spec §3.1 first row)", () => {
  test("rereads: find keeps answering 9F after a read, and the card can be read again", () => {
    const reader = new ReaderResponder({ card: CARD, rereadBehaviour: "rereads" });
    expect(readCycle(reader)).toEqual([0x9f, 0x90, 0x90]);
    expect(readCycle(reader)).toEqual([0x9f, 0x90, 0x90]);
  });

  test("reads-once: after a read, find answers 80 until the card is lifted and placed again", () => {
    const reader = new ReaderResponder({ card: CARD, rereadBehaviour: "reads-once" });
    expect(readCycle(reader)).toEqual([0x9f, 0x90, 0x90]);
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x80);
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x80);
    reader.removeCard();
    reader.insertCard();
    expect(readCycle(reader)).toEqual([0x9f, 0x90, 0x90]);
  });

  test("reads-once: a failed read does not hide the card", () => {
    const reader = new ReaderResponder({ card: CARD, rereadBehaviour: "reads-once" });
    send(reader, COMMANDS.findCard);
    expect(sw3(send(reader, COMMANDS.readBase))).toBe(0x23);
    expect(sw3(send(reader, COMMANDS.findCard))).toBe(0x9f);
  });
});

describe("ReaderResponder: SAM and other commands", () => {
  test("a failed SAM answers 60 to everything but reset", () => {
    const reader = new ReaderResponder({ card: CARD, samOk: false });
    for (const command of [COMMANDS.samStatus, COMMANDS.findCard, COMMANDS.selectCard, COMMANDS.readBase, COMMANDS.readSamId]) {
      expect(sw3(send(reader, command))).toBe(0x60);
    }
    expect(sw3(send(reader, COMMANDS.resetSam))).toBe(0x60);
    reader.setSamOk(true);
    expect(sw3(send(reader, COMMANDS.samStatus))).toBe(0x90);
  });

  test("12 FF returns the 16-byte SAM ID", () => {
    const reply = send(new ReaderResponder(), COMMANDS.readSamId);
    expect(reply.length).toBe(27);
  });

  test("30 03: the appended address after a read, 91 without one, 23 before any read", () => {
    const reader = new ReaderResponder({ card: { ...CARD, appendedAddress: "上海市示例路" } });
    expect(sw3(send(reader, COMMANDS.readAppendedAddress))).toBe(0x23);
    readCycle(reader);
    const reply = send(reader, COMMANDS.readAppendedAddress);
    const decoded = decodeFrame(reply);
    if (!decoded.ok) throw new Error(decoded.message);
    const read = readResponse(decoded.frame);
    expect(read.ok && parseAppendedAddress(read.response)).toEqual({ ok: true, present: true, address: "上海市示例路" });
    const without = new ReaderResponder({ card: CARD });
    readCycle(without);
    expect(sw3(send(without, COMMANDS.readAppendedAddress))).toBe(0x91);
  });

  test("baud and RF-size commands are checked; unknown commands get 21", () => {
    const reader = new ReaderResponder();
    expect(sw3(reader.respond(encodeRequest(0x60, 0x04)))).toBe(0x90);
    expect(sw3(reader.respond(encodeRequest(0x60, 0x09)))).toBe(0x21);
    expect(sw3(send(reader, COMMANDS.setMaxRfBytes, Uint8Array.of(0x50)))).toBe(0x90);
    expect(sw3(send(reader, COMMANDS.setMaxRfBytes, Uint8Array.of(10)))).toBe(0x21);
    expect(sw3(reader.respond(encodeRequest(0x99, 0x01)))).toBe(0x21);
  });

  test("damaged requests get the SAM's complaints: 10 for a checksum, 11 for a length", () => {
    const reader = new ReaderResponder({ card: CARD });
    const bad = encodeCommand(COMMANDS.findCard);
    bad[bad.length - 1] = (bad[bad.length - 1] ?? 0) ^ 1;
    expect(sw3(reader.respond(bad))).toBe(0x10);
    expect(sw3(reader.respond(bad.subarray(0, 8)))).toBe(0x11);
    expect(sw3(reader.respondToDamagedRequest("bad-length"))).toBe(0x11);
  });

  test("simulatedCommandOf names every command", () => {
    for (const [name, code] of Object.entries(COMMANDS)) expect(simulatedCommandOf(code)).toBe(name as never);
    expect(simulatedCommandOf({ cmd: 0x60, para: 0x02 })).toBe("setBaud");
    expect(simulatedCommandOf({ cmd: 0x20, para: 0x09 })).toBeUndefined();
  });
});
