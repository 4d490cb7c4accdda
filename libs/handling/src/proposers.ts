import type { InputRef } from '@liexi/live';

/**
 * Proposers of a set of inputs: their authors and co-signers (联名), each mapped to whether they
 * stay anonymous — true only if every input they proposed or co-signed was anonymous (the
 * co-signers of an anonymous input are never shown either, only counted).
 */
export function proposersOf(
  inputs: InputRef[],
  cosigns: { inputId: string; participantId: string }[] = [],
): Map<string, boolean> {
  const proposers = new Map<string, boolean>();
  const add = (participantId: string, anonymous: boolean): void => {
    proposers.set(participantId, (proposers.get(participantId) ?? true) && anonymous);
  };
  const anonymousInput = new Map(inputs.map((i) => [i.id, i.anonymous]));
  for (const i of inputs) add(i.authorParticipantId, i.anonymous);
  for (const c of cosigns) add(c.participantId, anonymousInput.get(c.inputId) ?? false);
  return proposers;
}
