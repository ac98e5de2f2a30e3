/**
 * The thread PtpFiles starts (codeset.ptp.ts): reads the PTP files it is asked for, one after the
 * other, and says what rationale texts and codes each holds; on request turns a read file into
 * COPY text with its rationales' ids.
 */
import { parentPort } from "node:worker_threads";
import { type FromPtpWorker, type PtpFile, ptpCopyText, readPtpFile, type ToPtpWorker } from "./codeset.ptp.js";

const port = parentPort!;
const say = (message: FromPtpWorker) => port.postMessage(message);
const read = new Map<string, PtpFile>();
let reading = Promise.resolve();

async function readFile(file: string): Promise<void> {
  try {
    const ptp = await readPtpFile(file);
    read.set(file, ptp);
    say({ kind: "read", file, rationales: ptp.rationales, named: ptp.named, pairs: ptp.pairs });
  } catch (error) {
    say({ kind: "failed", file, message: error instanceof Error ? error.message : String(error) });
  }
}

port.on("message", (message: ToPtpWorker) => {
  if (message.kind === "read") {
    reading = reading.then(() => readFile(message.file));
    return;
  }
  say({
    kind: "text",
    file: message.file,
    text: ptpCopyText(message.setting, read.get(message.file)!, message.rationaleIds),
  });
  read.delete(message.file);
});
