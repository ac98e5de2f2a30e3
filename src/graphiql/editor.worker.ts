// Monaco runs its language services in workers: this one is bundled on its own, beside app.js.
import "monaco-editor/esm/vs/editor/editor.worker.js";
