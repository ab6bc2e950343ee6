using Personalization.Interfaces;
using Personalization.Model;

namespace Personalization.Grains.Users;

/// <summary>A user's sessions: each a short-term direction, started afresh when idle, the oldest dropped past the cap.</summary>
internal static class Sessions
{
    /// <summary>Blends a liked item into the event's session, starting the session afresh when it is new or went idle.</summary>
    public static void Update(UserState state, UserEvent e, float[] itemVector, float weight, LearningOptions settings)
    {
        var sessionId = e.SessionId ?? string.Empty;
        if (!state.Sessions.TryGetValue(sessionId, out var session) ||
            e.Timestamp - session.LastEventAt > settings.SessionTimeout)
        {
            // A new session, or one that went idle: its short-term direction starts afresh.
            session = new SessionState { Vector = new float[settings.Dimension] };
            state.Sessions[sessionId] = session;
        }

        if (weight > 0)
        {
            OnlineUpdate.BlendIntoSession(session.Vector, itemVector, settings.SessionRate);
        }

        session.LastEventAt = e.Timestamp > session.LastEventAt ? e.Timestamp : session.LastEventAt;
        state.LatestSessionId = sessionId;
        CappedMaps.DropLeast(state.Sessions, UserLimits.SessionCapacity, s => s.LastEventAt.UtcTicks, keep: sessionId);
    }
}
