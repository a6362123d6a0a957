"use client";

/**
 * Hands CSV text to the browser as a file download. Built in memory: every export is bounded server-side, and a
 * Blob URL needs no second (authenticated) request.
 */
export function downloadCsv({ filename, csv }: { filename: string; csv: string }): void {
  const url = URL.createObjectURL(new Blob([csv], { type: "text/csv;charset=utf-8" }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  // Revoking at once can cancel the download in some browsers; after a while the memory is given back.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
