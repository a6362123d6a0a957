"use client";
import { EmptyState } from "./states.tsx";
import { SendDataHelp } from "./send-data-help.tsx";

/** An area whose data has not arrived yet: says what it will show and how to send data. */
export function AreaIntro({ title, description }: { title: string; description: string }) {
  return (
    <section>
      <h1>{title}</h1>
      <EmptyState title="No data yet">
        <p>{description}</p>
        <SendDataHelp />
      </EmptyState>
    </section>
  );
}
