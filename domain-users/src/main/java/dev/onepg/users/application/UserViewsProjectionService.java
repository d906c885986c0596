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
    public void prepareNext(ProjectionTransaction transaction) {
        views.prepareNext(transaction);
    }

    @Override
    public void finishNext(ProjectionTransaction transaction) {
        views.finishNext(transaction);
    }

    @Override
    public void promoteNext(ProjectionTransaction transaction) {
        views.promoteNext(transaction);
    }

    @Override
    public void discardNext(ProjectionTransaction transaction) {
        views.discardNext(transaction);
    }
}
