// Group commit: the sends and delivery Acks that every socket received during one turn of the
// event loop are written in one transaction, so throughput does not collapse to one commit per
// message. Callers learn each outcome only after the commit.
import { DomainError } from '../domain/errors';
import { commitBatch, type DeliveryAck, type SendInput, type SendOutcome } from '../domain/messages';

type PendingSend = { input: SendInput; settle: (outcome: SendOutcome) => void };

export class CommitQueue {
  private sends: PendingSend[] = [];
  private deliveries: DeliveryAck[] = [];
  private scheduled = false;

  send(input: SendInput, settle: (outcome: SendOutcome) => void): void {
    this.sends.push({ input, settle });
    this.schedule();
  }

  /** `recipientId`'s client Acked `messageId`. */
  delivered(recipientId: number, messageId: bigint): void {
    this.deliveries.push({ recipientId, messageId });
    this.schedule();
  }

  /** Writes everything pending now (at the end of the turn, or before an Auth's push or a shutdown). */
  flush(): void {
    if (this.sends.length === 0 && this.deliveries.length === 0) return;
    const sends = this.sends;
    const deliveries = this.deliveries;
    this.sends = [];
    this.deliveries = [];
    let outcomes: SendOutcome[];
    try {
      outcomes = commitBatch({ sends: sends.map((pending) => pending.input), deliveries }).sends;
    } catch (error) {
      // The store itself failed (disk full, I/O error): nothing was committed, nothing is Acked,
      // and the delivery Acks are lost (those messages are pushed again at the next Auth).
      console.error(error);
      outcomes = sends.map(() => ({ ok: false, error: new DomainError('INTERNAL', 'the message could not be stored') }));
    }
    sends.forEach((pending, i) => pending.settle(outcomes[i]));
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every frame read in it joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }
}
