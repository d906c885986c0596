package dev.onepg.users.application;

import dev.onepg.eventstore.ProjectionTransaction;
import dev.onepg.users.application.port.in.ProjectUserViews;
import dev.onepg.users.application.port.in.UserViewChange;
import dev.onepg.users.application.port.out.UserViewWrites;
import java.util.List;
import org.springframework.stereotype.Service;

/** Hands the changes and the blue/green steps of the users views to the views' store. */
@Service
class UserViewsProjectionService implements ProjectUserViews {

    private final UserViewWrites views;

    UserViewsProjectionService(UserViewWrites views) {
        this.views = views;
    }

    @Override
    public void apply(List<UserViewChange> changes, Views target, ProjectionTransaction transaction) {
        views.updatesIn(transaction, target).apply(changes);
    }

    @Override
    public void rebuild(RebuildStep step, ProjectionTransaction transaction) {
        switch (step) {
            case PREPARE -> views.prepareNext(transaction);
            case FINISH -> views.finishNext(transaction);
            case PROMOTE -> views.promoteNext(transaction);
            case DISCARD -> views.discardNext(transaction);
        }
    }
}
