package dev.parley.web.leads;

import dev.parley.model.ContactDetails;
import dev.parley.protocol.Action;
import dev.parley.protocol.ThreadItem;
import dev.parley.protocol.ThreadStreamEvent.StreamOptions;
import dev.parley.server.EventSink;
import dev.parley.server.Responder;
import dev.parley.server.Turn;
import dev.parley.store.LeadStore;
import dev.parley.store.StoreException;

/**
 * Records the e-mail addresses and phone numbers visitors write into the chat as leads, then lets the wrapped
 * responder answer. It sits in front of any responder, so the lead list fills whichever model answers; the embedded
 * provider's "I have noted …" is true because of it.
 */
public final class LeadCapture implements Responder {
    private static final System.Logger LOG = System.getLogger(LeadCapture.class.getName());

    private final Responder answering;
    private final LeadStore leads;

    public LeadCapture(Responder answering, LeadStore leads) {
        this.answering = answering;
        this.leads = leads;
    }

    @Override
    public void respond(Turn turn, ThreadItem.UserMessage input, EventSink events) throws Exception {
        if (input != null) record(turn, input);
        answering.respond(turn, input, events);
    }

    @Override
    public void action(Turn turn, Action action, ThreadItem.Widget sender, EventSink events) throws Exception {
        answering.action(turn, action, sender, events);
    }

    @Override
    public ThreadItem syncAction(Turn turn, Action action, ThreadItem.Widget sender) throws Exception {
        return answering.syncAction(turn, action, sender);
    }

    @Override
    public String titleFor(String said) {
        return answering.titleFor(said);
    }

    @Override
    public StreamOptions streamOptions(Turn turn) {
        return answering.streamOptions(turn);
    }

    private void record(Turn turn, ThreadItem.UserMessage input) {
        String text = input.text();
        ContactDetails.Found found = ContactDetails.in(text);
        if (found.isEmpty()) return;
        String user = turn.context().userId();
        String thread = turn.thread().id();
        try {
            for (String email : found.emails()) {
                leads.add(new LeadStore.Lead(user, thread, LeadStore.Kind.EMAIL, email, text, turn.now()));
            }
            for (String phone : found.phones()) {
                leads.add(new LeadStore.Lead(user, thread, LeadStore.Kind.PHONE, phone, text, turn.now()));
            }
        } catch (StoreException e) {
            // The visitor still gets an answer; the operator learns the lead was lost, and why.
            LOG.log(System.Logger.Level.ERROR, "Could not record the contact details left in thread " + thread
                    + ": " + e.getMessage());
        }
    }
}
